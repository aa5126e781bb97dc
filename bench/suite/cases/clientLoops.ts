/**
 * The client ceilings of the ingest case, each reading a whole topic and touching every value:
 * kafkajs's consumer loop (a fresh group, counting in eachBatch), @platformatic/kafka's fetch loop
 * over the assigned partitions (no group: one Fetch per leader, offsets kept by the loop, records
 * parsed by the package), the engine's own reader alone (the same connections, our column decoder,
 * no DuckDB), and kcat writing the values to /dev/null. Each returns the milliseconds it took.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Consumer } from '@platformatic/kafka';
import type { Kafka } from 'kafkajs';
import { openReader } from '../../../src/kafka/reader.js';

export async function bareKafkajs(kafka: Kafka, topic: string, n: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-bare-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const t0 = performance.now();
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) if (m.value) seen++;
          if (seen >= n) resolve();
          await Promise.resolve();
        },
      })
      .catch(reject);
  });
  const ms = performance.now() - t0;
  await consumer.disconnect();
  return ms;
}

/** @platformatic/kafka: Fetch requests straight to each partition's leader, from offset 0 to the end. */
export async function barePlatformatic(brokers: string, topic: string, n: number): Promise<number> {
  const consumer = new Consumer({ clientId: 'windowpane-bench', bootstrapBrokers: [brokers], groupId: `bench-unused-${randomBytes(4).toString('hex')}` });
  try {
    const t0 = performance.now();
    const meta = await consumer.metadata({ topics: [topic] });
    const t = meta.topics.get(topic)!;
    const next = t.partitions.map(() => 0n);
    const leaders = new Map<number, number[]>();
    t.partitions.forEach((p, i) => leaders.set(p.leader, [...(leaders.get(p.leader) ?? []), i]));
    let seen = 0;
    await Promise.all(
      [...leaders].map(async ([node, parts]) => {
        while (seen < n) {
          const r = await consumer.fetch({
            node, maxWaitTime: 100, minBytes: 1, maxBytes: 64 * 2 ** 20,
            topics: [{ topicId: t.id, partitions: parts.map((p) => ({ partition: p, currentLeaderEpoch: -1, fetchOffset: next[p]!, lastFetchedEpoch: -1, partitionMaxBytes: 8 * 2 ** 20 })) }],
          });
          for (const part of r.responses[0]?.partitions ?? []) {
            for (const batch of part.records ?? []) {
              for (const rec of batch.records) if (rec.value) seen++;
              next[part.partitionIndex] = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
            }
          }
        }
      }),
    );
    return performance.now() - t0;
  } finally {
    await consumer.close();
  }
}

/** The engine's exact-offset reader alone: every partition from its first offset to `n` records, counting non-null values. */
export async function bareReader(kafka: Kafka, topic: string, partitions: number, n: number): Promise<number> {
  const t0 = performance.now();
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const reader = openReader(kafka, topic, new Map(Array.from({ length: partitions }, (_, p) => [p, 0])), (_p, batch) => {
    for (let i = 0; i < batch.length; i++) if (batch.values.len[i]! >= 0) seen++;
    if (seen >= n) done();
    return Promise.resolve();
  });
  await reader.start();
  await finished;
  const ms = performance.now() - t0;
  await reader.stop();
  return ms;
}

export function kcat(brokers: string, topic: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('kcat', ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.pipe(createWriteStream('/dev/null'));
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`kcat exited ${code}: ${err.trim().split('\n')[0]}`))));
  });
}
