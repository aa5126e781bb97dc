// The run driver with a toy executor: the lifecycle's steps in order, a failing step ends the run
// with its error, a failing prepare rejects start() and releases what it opened.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { Run, tickMs, type EndingHub, type Executor } from '../../../../src/engine/run/driver.js';
import type { RunInput } from '../../../../src/engine/run/input.js';
import { parsePipelineOptions, parseQueryOptions } from '../../../../src/engine/run/options.js';
import type { DuckSetup } from '../../../../src/engine/run/setup.js';

class ToyHub implements EndingHub {
  ended: { failure: unknown } | undefined;
  end(failure?: unknown): void {
    this.ended = { failure };
  }
}

/** Records each step it is asked to run; `fail` names a step that throws. */
class ToyExecutor implements Executor<ToyHub> {
  readonly hub = new ToyHub();
  readonly hasLive = false;
  readonly idleTimeoutMs = 30_000;
  readonly steps: string[] = [];
  setup: DuckSetup | undefined;

  constructor(private readonly fail?: string) {}

  private step(name: string): Promise<void> {
    this.steps.push(name);
    return name.startsWith(this.fail ?? '\0') ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve();
  }

  async prepare(): Promise<{ inputs: RunInput[] }> {
    const instance = await DuckDBInstance.create(':memory:');
    this.setup = { conn: await instance.connect(), ownsInstance: instance };
    await this.step('prepare');
    return { inputs: [] };
  }

  ready(): Promise<void> {
    return this.step('ready');
  }

  backlog(): Promise<void> {
    return this.step('backlog');
  }

  history(endOfInput: boolean): Promise<void> {
    return this.step(`history(${endOfInput})`);
  }

  live(): Promise<void> {
    return this.step('live');
  }

  flush(): Promise<void> {
    return this.step('flush');
  }

  afterStep(): Promise<void> {
    this.steps.push('afterStep');
    return Promise.resolve();
  }

  stopping(): void {
    this.steps.push('stopping');
  }

  settled(): Promise<void> {
    this.steps.push('settled');
    return Promise.resolve();
  }

  close(): void {
    this.steps.push('close');
  }
}

test('a history-only run goes prepare → ready → history (end of input) → flush → settled → close, and ends its hub', async () => {
  const exec = new ToyExecutor();
  const run = await Run.start(exec, parseQueryOptions({}));
  await run.done;
  assert.deepEqual(exec.steps, ['prepare', 'ready', 'history(true)', 'afterStep', 'stopping', 'flush', 'afterStep', 'settled', 'close']);
  assert.equal(run.phase, 'done');
  assert.deepEqual(exec.hub.ended, { failure: undefined });
  assert.equal(run.flush, true, 'a run over history alone flushes by default');
  await run.close();
});

test('without flush, history runs without end of input and nothing is flushed', async () => {
  const exec = new ToyExecutor();
  const run = await Run.start(exec, parsePipelineOptions({}));
  await run.done;
  assert.deepEqual(exec.steps, ['prepare', 'ready', 'history(false)', 'afterStep', 'stopping', 'afterStep', 'settled', 'close']);
  await run.close();
});

test('a failing history step ends the run with its error: done rejects, the hub ends with it, the executor closes', async () => {
  const exec = new ToyExecutor('history');
  const run = await Run.start(exec, parseQueryOptions({}));
  await assert.rejects(run.done, /history\(true\) failed/);
  assert.equal(run.phase, 'done');
  assert.match(String(exec.hub.ended?.failure), /history\(true\) failed/);
  assert.equal(exec.steps.at(-1), 'close');
  assert.ok(!exec.steps.includes('flush'), 'a failed run does not flush');
  await run.close();
});

test('a failing prepare rejects start() and closes what it opened', async () => {
  const exec = new ToyExecutor('prepare');
  await assert.rejects(Run.start(exec, parseQueryOptions({})), /prepare failed/);
  assert.deepEqual(exec.steps, ['prepare', 'close']);
  // the connection was closed with the instance
  await assert.rejects(exec.setup!.conn.run('SELECT 1'));
});

test('options are parsed once, at the edge: durations in ms, a bad emit mode named', () => {
  const o = parseQueryOptions({ emit: 'updates', updateInterval: '2 seconds', allowedLateness: '1 minute', until: { durationMs: 5000 } });
  assert.equal(o.updateIntervalMs, 2000);
  assert.equal(o.allowedLatenessMs, 60_000);
  assert.deepEqual(o.until, { kind: 'duration', ms: 5000 });
  assert.throws(() => parseQueryOptions({ emit: 'sometimes' as 'final' }), /invalid emit: "sometimes"\. Expected 'final' or 'updates'/);
  assert.throws(() => parseQueryOptions({ allowedLateness: '1 month' }), /invalid allowedLateness/);
});

test('ticks: four per idle timeout, at most one per update interval, between 50 ms and 1 s', () => {
  assert.equal(tickMs(parseQueryOptions({ emit: 'updates', updateInterval: 250 }), 30_000), 250);
  assert.equal(tickMs(parseQueryOptions({}), 30_000), 1000);
  assert.equal(tickMs(parseQueryOptions({}), 400), 100);
  assert.equal(tickMs(parseQueryOptions({ emit: 'updates', updateInterval: 1 }), 30_000), 50);
});
