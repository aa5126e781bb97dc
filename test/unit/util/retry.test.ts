/** retry(): exponential back-off with jitter, only for errors whose code is retriable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaError, QueryError, type WindowpaneError } from '../../../src/errors.js';
import { backoffMs, backoffSchedule, retry, type RetryOptions } from '../../../src/util/retry.js';

const fast: RetryOptions = { retries: 4, initialMs: 2, factor: 2, maxMs: 10, seed: 7 };
const unreachable = (n: number) => new KafkaError('broker-unreachable', `down ${n}`, { context: { offset: n } });

/** fn failing with `errors` in turn, then answering 'ok'; counts its calls. */
function flaky(errors: readonly Error[]) {
  const calls = { n: 0 };
  const fn = (attempt: number) => {
    assert.equal(attempt, calls.n);
    calls.n++;
    const e = errors[attempt];
    return e === undefined ? Promise.resolve('ok') : Promise.reject(e);
  };
  return { fn, calls };
}

test('the waits grow by the factor up to the cap; jitter keeps them within ±jitter', () => {
  const exact = { ...fast, initialMs: 100, maxMs: 1000, jitter: 0 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((r) => backoffMs(r, exact, 0.5)), [100, 200, 400, 800, 1000, 1000]);
  const jittered = { ...exact, jitter: 0.2 };
  assert.equal(backoffMs(1, jittered, 0), 80);
  assert.equal(backoffMs(1, jittered, 0.999999), 120);
  assert.equal(backoffMs(5, jittered, 0.999999), 1000, 'never above maxMs');
});

test('a retriable error is retried after a back-off, then the call succeeds', async () => {
  const { fn, calls } = flaky([unreachable(0), unreachable(1)]);
  const waits: number[] = [];
  const seen: WindowpaneError[] = [];
  const onRetry = (e: WindowpaneError, n: number, ms: number) => {
    seen.push(e);
    waits.push(ms);
    assert.equal(n, waits.length);
  };
  const result = await retry(fn, { ...fast, initialMs: 10, maxMs: 100, onRetry });
  assert.equal(result, 'ok');
  assert.equal(calls.n, 3);
  assert.deepEqual(seen.map((e) => e.context.offset), [0, 1]);
  assert.ok(waits[0]! >= 8 && waits[0]! <= 12 && waits[1]! >= 16 && waits[1]! <= 24, String(waits));
});

test('a seed makes the jittered waits the same on every run, and retry() waits exactly those', async () => {
  const options = { retries: 6, initialMs: 1000, factor: 2, maxMs: 8000, seed: 42 };
  const waits = backoffSchedule(options);
  assert.deepEqual(backoffSchedule(options), waits);
  assert.notDeepEqual(backoffSchedule({ ...options, seed: 43 }), waits);
  [1000, 2000, 4000, 8000, 8000, 8000].forEach((base, i) => assert.ok(waits[i]! >= base * 0.8 && waits[i]! <= Math.min(8000, base * 1.2), `${i}: ${waits[i]}`));
  const small = { ...fast, initialMs: 10, maxMs: 40 };
  const seen: number[] = [];
  await retry(flaky([unreachable(0), unreachable(1), unreachable(2)]).fn, { ...small, onRetry: (_e, _n, ms) => void seen.push(ms) });
  assert.deepEqual(seen, backoffSchedule(small).slice(0, 3));
});

test('a non-retriable error, or an error that is not ours, is thrown at once', async () => {
  const bad = new QueryError('sql-invalid', 'bad SQL');
  const first = flaky([bad]);
  await assert.rejects(retry(first.fn, fast), (e: unknown) => e === bad);
  assert.equal(first.calls.n, 1);
  const plain = new Error('ECONNREFUSED');
  const second = flaky([plain]);
  await assert.rejects(retry(second.fn, fast), (e: unknown) => e === plain);
  assert.equal(second.calls.n, 1);
});

test('after the last retry the last error is thrown', async () => {
  const errors = [0, 1, 2, 3, 4, 5, 6].map(unreachable);
  const { fn, calls } = flaky(errors);
  await assert.rejects(retry(fn, fast), (e: unknown) => e === errors[4]);
  assert.equal(calls.n, 5, 'the first attempt and 4 retries');
  const once = flaky(errors);
  await assert.rejects(retry(once.fn, { ...fast, retries: 0 }), (e: unknown) => e === errors[0]);
  assert.equal(once.calls.n, 1);
});

test('no retry starts past the budget', async () => {
  const errors = [0, 1, 2, 3].map(unreachable);
  const { fn, calls } = flaky(errors);
  const started = Date.now();
  await assert.rejects(retry(fn, { retries: 3, initialMs: 20, factor: 4, maxMs: 1000, jitter: 0, budgetMs: 200 }), (e: unknown) => e === errors[2]);
  assert.equal(calls.n, 3, 'waits of 20 and 80 ms fit in 200 ms, a third of 320 ms does not');
  assert.ok(Date.now() - started < 1000);
});

test('an abort ends the wait at once and throws the last error', async () => {
  const controller = new AbortController();
  const errors = [unreachable(0), unreachable(1)];
  const { fn, calls } = flaky(errors);
  const started = Date.now();
  const pending = retry(fn, { retries: 3, initialMs: 60_000, factor: 2, maxMs: 60_000, signal: controller.signal, onRetry: () => setTimeout(() => controller.abort(), 10) });
  await assert.rejects(pending, (e: unknown) => e === errors[0]);
  assert.equal(calls.n, 1);
  assert.ok(Date.now() - started < 5000);
  await assert.rejects(retry(fn, { ...fast, signal: controller.signal }), { name: 'AbortError' });
});
