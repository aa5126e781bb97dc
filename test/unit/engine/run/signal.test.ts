/** A run's signal (in a notebook: the interrupt of the cell that starts it) stops it, a long DuckDB statement cut short. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError, runDefaults, setRunDefaults, source, sql } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';

// 100,000 events in windows of a day sliding by a second: some 8.6 billion window rows, minutes of work
const events = () => source({ name: 'ev', time: 'ts', history: { query: "SELECT TIMESTAMP '2024-01-01' + to_seconds(i) AS ts, i AS v FROM range(100000) t(i)" } });
const HEAVY = "SELECT window_start, count(*) AS n FROM HOP(ev, ts, '1 second', '1 day') GROUP BY ALL";

test('a signal that aborts stops a history query that would run for minutes: the run ends, no row', { timeout: 120_000 }, async () => {
  const abort = new AbortController();
  const q = await sql(HEAVY, { sources: { ev: events() }, signal: abort.signal });
  assert.equal(q.stats().phase, 'history');
  setTimeout(() => abort.abort(), 200);
  await q.done;
  assert.equal(q.stats().phase, 'done');
  assert.deepEqual(q.snapshot(), []);
  await q.close();
});

test("without a signal of its own a run takes the host's (run defaults), asked for when it starts", { timeout: 120_000 }, async () => {
  const before = runDefaults();
  const abort = new AbortController();
  setRunDefaults({ ...before, signal: () => abort.signal });
  try {
    const q = await sql(HEAVY, { sources: { ev: events() } });
    abort.abort();
    await q.done;
    assert.equal(q.stats().phase, 'done');
    await q.close();
  } finally {
    setRunDefaults(before);
  }
});

test('a signal that aborts while the run is set up (a long look at its history) rejects the start with run-interrupted', { timeout: 120_000 }, async () => {
  const abort = new AbortController();
  // the provenance hashes a query history before the run starts: two billion rows take minutes
  const huge = source({ name: 'ev', time: 'ts', history: { query: "SELECT TIMESTAMP '2024-01-01' + to_seconds(i) AS ts, i AS v FROM range(2000000000) t(i)" } });
  setTimeout(() => abort.abort(), 300);
  await assert.rejects(sql("SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '1 day') GROUP BY ALL", { sources: { ev: huge }, signal: abort.signal }), (e: unknown) => e instanceof QueryError && e.code === 'run-interrupted' && e.message === messages.runInterrupted());
});
