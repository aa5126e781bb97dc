/**
 * Loading a topic's backlog into the engine (messages/s): a query with history { kafkaBacklog }
 * run until caught up, vs the baseline in the same run — a bare kafkajs consume loop over the same
 * topic that only counts messages. Needs a broker (WINDOWPANE_KAFKA_BROKERS or the local one).
 *   node --import tsx bench/engine-backlog.ts [messages] [repeats]
 */
import { randomBytes } from 'node:crypto';
import { kafkaClient, source, sql } from '../src/index.js';
import { fmt, printTable, summarize } from './stats.js';
import { createTopicAndWait } from '../src/kafka/admin.js';

const total = Number(process.argv[2] ?? 100_000);
const repeats = Number(process.argv[3] ?? 3);
const partitions = 3;
const kafka = kafkaClient();
const topic = `bench-backlog-${randomBytes(4).toString('hex')}`;
const admin = kafka.admin();
await admin.connect();
await createTopicAndWait(admin, { topic, partitions: partitions });

// 1. the backlog: JSON events, one per second of event time
const producer = kafka.producer();
await producer.connect();
const base = Date.UTC(2024, 0, 1);
for (let i = 0; i < total; i += 10_000) {
  const messages = Array.from({ length: Math.min(10_000, total - i) }, (_, j) => ({
    partition: (i + j) % partitions,
    value: JSON.stringify({ ts: new Date(base + (i + j) * 1000).toISOString(), user: `u${(i + j) % 97}`, amount: ((i + j) % 1000) / 10 }),
  }));
  await producer.send({ topic, messages });
}
await producer.disconnect();

async function bareConsume(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const end = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  const consumer = kafka.consumer({ groupId: `bench-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const t = performance.now();
  let seen = 0;
  await new Promise<void>((resolve) => {
    const done = new Map<number, number>();
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        done.set(batch.partition, Number(batch.lastOffset()) + 1);
        if ([...end].every(([p, e]) => (done.get(p) ?? 0) >= e)) resolve();
        await Promise.resolve();
      },
    });
  });
  const ms = performance.now() - t;
  await consumer.disconnect();
  if (seen !== total) throw new Error(`bare consumer saw ${seen} of ${total}`);
  return ms;
}

async function engineLoad(): Promise<number> {
  const events = source({ name: 'events', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', user: 'VARCHAR', amount: 'DOUBLE' } });
  const t = performance.now();
  const q = await sql(`SELECT window_start, count(*) AS n, sum(amount) AS total FROM TUMBLE(events, ts, '1 hour') GROUP BY ALL`, { sources: { events }, kafka, until: 'caughtUp' });
  const rows = await q.collect();
  const ms = performance.now() - t;
  if (q.stats().events !== total || rows.reduce((a, r) => a + Number(r.values.n), 0) !== total) throw new Error('engine did not load every event');
  await q.close();
  return ms;
}

const bare: number[] = [];
const ours: number[] = [];
for (let i = 0; i < repeats; i++) {
  bare.push(total / ((await bareConsume()) / 1000));
  ours.push(total / ((await engineLoad()) / 1000));
}
await admin.deleteTopics({ topics: [topic] });
await admin.disconnect();
const b = summarize(bare);
printTable(`loading a ${total}-message backlog (${partitions} partitions), messages/s (higher is better)`, [
  { case: 'bare kafkajs consume loop (baseline)', ours: '', baseline: fmt(b, 'msg/s', 0) },
  { case: 'windowpane: backlog → DuckDB → history query → final rows', ours: fmt(summarize(ours), 'msg/s', 0), baseline: fmt(b, 'msg/s', 0), ratio: summarize(ours).median / b.median },
]);
