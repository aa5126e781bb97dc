// The run driver on the real broker, with a toy executor that only records what it is handed: the
// backlog below the hand-off, then the history step, then every later record exactly once, in
// offset order per partition; a caughtUp run ends at the end offsets seen at start.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import type { RecordBatch } from '../../../../src/kafka/batch.js';
import { source } from '../../../../src/engine/source/define.js';
import { Run, type EndingHub, type Executor } from '../../../../src/engine/run/driver.js';
import { planHandoff } from '../../../../src/engine/run/handoff.js';
import { openInput, type RunInput } from '../../../../src/engine/run/input.js';
import { parsePipelineOptions } from '../../../../src/engine/run/options.js';
import type { DuckSetup } from '../../../../src/engine/run/setup.js';
import { withTopic } from '../../../helpers/kafka.js';

class ToyHub implements EndingHub {
  ended: { failure: unknown } | undefined;
  end(failure?: unknown): void {
    this.ended = { failure };
  }
}

class RecordingExecutor implements Executor<ToyHub> {
  readonly hub = new ToyHub();
  readonly hasLive = true;
  readonly idleTimeoutMs = 30_000;
  readonly log: { step: 'backlog' | 'history' | 'live'; partition?: number; offsets?: number[] }[] = [];
  setup: DuckSetup | undefined;
  private readonly spec;

  constructor(
    topic: string,
    private readonly kafka: Kafka,
  ) {
    this.spec = source({ name: 'toy', time: 't', schema: { t: 'TIMESTAMP' }, history: { kafkaBacklog: true }, live: { topic } }).spec;
  }

  async prepare(): Promise<{ inputs: RunInput[] }> {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    this.setup = { conn, ownsInstance: instance };
    const input = await openInput(this.spec, { kafka: this.kafka, brokers: 'the test broker' }, (topic) =>
      planHandoff(conn, this.spec, { topic, historyRelation: undefined, historyColumns: [], seek: () => Promise.reject(new Error('no seek')), defaultMaxGapMs: 0 }));
    return { inputs: [input] };
  }

  backlog(_input: RunInput, partition: number, batch: RecordBatch): Promise<void> {
    this.log.push({ step: 'backlog', partition, offsets: [...batch.offsets] });
    return Promise.resolve();
  }

  history(): Promise<void> {
    this.log.push({ step: 'history' });
    return Promise.resolve();
  }

  live(_input: RunInput, partition: number, batch: RecordBatch): Promise<void> {
    this.log.push({ step: 'live', partition, offsets: [...batch.offsets] });
    return Promise.resolve();
  }

  async flush(): Promise<void> {}

  close(): void {}
}

async function produce(kafka: Kafka, topic: string, perPartition: readonly number[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  for (const [partition, n] of perPartition.entries()) {
    await producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ partition, value: JSON.stringify({ t: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z` }) })) });
  }
  await producer.disconnect();
}

/** Offsets handed over per partition, by step. */
function offsetsOf(exec: RecordingExecutor, step: 'backlog' | 'live'): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const e of exec.log) if (e.step === step) out.set(e.partition!, [...(out.get(e.partition!) ?? []), ...e.offsets!]);
  return out;
}

test('backlog, then the history step, then live: every offset once, in order, the history step between them', async () => {
  await withTopic({ prefix: 'driver', partitions: 2 }, async (topic, kafka) => {
    await produce(kafka, topic, [30, 5]);
    const exec = new RecordingExecutor(topic, kafka);
    const run = await Run.start(exec, parsePipelineOptions({}));
    assert.deepEqual(Object.fromEntries(run.inputs[0]!.handoff.backlogEnd!), { 0: 30, 1: 5 });
    // records produced after the start are live: the driver hands them over once history is done
    await produce(kafka, topic, [7, 12]);
    await run.processedUpTo(new Map([[0, 37], [1, 17]]));
    await run.finish();
    await run.done;
    const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
    assert.deepEqual(offsetsOf(exec, 'backlog'), new Map([[0, range(0, 30)], [1, range(0, 5)]]));
    assert.deepEqual(offsetsOf(exec, 'live'), new Map([[0, range(30, 37)], [1, range(5, 17)]]));
    const historyAt = exec.log.findIndex((e) => e.step === 'history');
    assert.equal(exec.log.filter((e) => e.step === 'history').length, 1);
    assert.ok(exec.log.slice(0, historyAt).every((e) => e.step === 'backlog'), 'nothing live before the history step');
    assert.ok(exec.log.slice(historyAt + 1).every((e) => e.step === 'live'), 'no backlog after the history step');
    assert.equal(run.phase, 'done');
    assert.deepEqual(exec.hub.ended, { failure: undefined });
    await run.close();
  });
});

test("a caughtUp run ends by itself at the end offsets seen at start, reading nothing past them", async () => {
  await withTopic({ prefix: 'driver-caughtup', partitions: 2 }, async (topic, kafka) => {
    await produce(kafka, topic, [20, 0]);
    const exec = new RecordingExecutor(topic, kafka);
    const run = await Run.start(exec, parsePipelineOptions({ until: 'caughtUp' }));
    await produce(kafka, topic, [5, 5]);
    await run.done;
    assert.deepEqual([...offsetsOf(exec, 'backlog').get(0)!].length, 20);
    assert.equal(offsetsOf(exec, 'live').size, 0, 'records after the start offsets are not read');
    assert.deepEqual(Object.fromEntries(run.processed), { 0: 20, 1: 0 });
    await run.close();
  });
});
