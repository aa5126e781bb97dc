/**
 * The local broker for real: the shared test broker carries 10,000 JSON messages over 3 partitions
 * with their offsets; a private broker (own state folder and port) survives stop and start with its
 * data, reuses itself on a second start, and leaves no process or port behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../../src/kafka/client.js';
import { isPortFree, freePort } from '../../../src/local-kafka/ports.js';
import { isProcessAlive } from '../../../src/local-kafka/state.js';
import { createTopic, testKafka } from '../../helpers/kafka.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', '..', 'bin', 'windowpane.js');

interface Seen {
  partition: number;
  offset: string;
  value: { i: number; user: string };
}

async function produceJson(kafka: Kafka, topic: string, count: number): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let start = 0; start < count; start += 1000) {
    const messages = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const i = start + k;
      return { key: `user-${i % 97}`, value: JSON.stringify({ i, user: `user-${i % 97}` }) };
    });
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
}

/** Reads every message up to the end offsets, with partition and offset. */
async function consumeAll(kafka: Kafka, topic: string): Promise<Seen[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const consumer = kafka.consumer({ groupId: `${topic}-reader` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: Seen[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatch: ({ batch }) => {
          for (const m of batch.messages) {
            seen.push({ partition: batch.partition, offset: m.offset, value: JSON.parse(String(m.value)) as Seen['value'] });
          }
          if (seen.length >= total) resolve();
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return seen;
}

function assertComplete(seen: Seen[], count: number, partitions: number): void {
  assert.equal(seen.length, count);
  assert.deepEqual(
    seen.map((s) => s.value.i).sort((a, b) => a - b),
    Array.from({ length: count }, (_, i) => i),
  );
  const byPartition = new Map<number, number[]>();
  for (const s of seen) byPartition.set(s.partition, [...(byPartition.get(s.partition) ?? []), Number(s.offset)]);
  assert.equal(byPartition.size, partitions, 'every partition got messages');
  for (const [p, offsets] of byPartition) {
    assert.deepEqual(offsets, Array.from({ length: offsets.length }, (_, i) => i), `partition ${p} offsets are 0..n-1 in order`);
  }
  // Messages with the same key land on the same partition.
  const partitionOfUser = new Map<string, number>();
  for (const s of seen) {
    const p = partitionOfUser.get(s.value.user);
    if (p === undefined) partitionOfUser.set(s.value.user, s.partition);
    else assert.equal(p, s.partition);
  }
}

test('the shared test broker round-trips 10,000 JSON messages over 3 partitions', async () => {
  const kafka = testKafka();
  const topic = await createTopic({ prefix: 'broker-roundtrip', partitions: 3, kafka });
  await produceJson(kafka, topic, 10_000);
  assertComplete(await consumeAll(kafka, topic), 10_000, 3);
});

test('a private broker survives stop and start with its data, and leaves nothing behind', { timeout: 240_000 }, async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'windowpane-broker-'));
  const env = { ...process.env, WINDOWPANE_STATE_DIR: stateDir, WINDOWPANE_KAFKA_PORT: String(await freePort()) };
  const kafkaCli = async (...args: string[]) => JSON.parse((await run(process.execPath, [cli, 'kafka', ...args, '--json'], { env })).stdout) as Record<string, unknown>;
  try {
    const first = await kafkaCli('start');
    assert.equal(first.started, true);
    const again = await kafkaCli('start');
    assert.equal(again.started, false, 'a second start reuses the running broker');
    assert.equal(again.pid, first.pid);

    const bootstrap = String(first.bootstrap);
    const kafka = createKafka({ brokers: [bootstrap], clientId: 'windowpane-test' });
    const topic = await createTopic({ prefix: 'broker-restart', partitions: 3, kafka });
    await produceJson(kafka, topic, 2_000);

    const stopped = await kafkaCli('stop');
    assert.equal(stopped.stopped, true);
    assert.equal(isProcessAlive(Number(first.pid)), false, 'no broker process is left');
    assert.equal(await isPortFree(Number(first.port)), true, 'the broker port is released');
    assert.equal(await isPortFree(Number(first.controllerPort)), true, 'the controller port is released');
    assert.deepEqual(await kafkaCli('status'), { running: false });

    const second = await kafkaCli('start');
    assert.equal(second.started, true);
    const kafka2 = createKafka({ brokers: [String(second.bootstrap)], clientId: 'windowpane-test' });
    assertComplete(await consumeAll(kafka2, topic), 2_000, 3);
    const status = await kafkaCli('status');
    assert.equal(status.running, true);
    assert.equal(status.answering, true);
  } finally {
    await kafkaCli('stop').catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  }
});
