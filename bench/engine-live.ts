/**
 * Live: events produced at a fixed rate with event time = send time; the query runs in 'updates'
 * mode with a max(ts) aggregate, so each emitted row says how fresh it is. Reported: sustained
 * events/s and produce-to-result latency p50/p99. Baseline from the same run: a bare kafkajs
 * consumer's produce-to-receipt latency at the same rate. Needs a broker.
 *   node --import tsx bench/engine-live.ts [events/s] [seconds]
 */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { kafkaClient, source, sql } from '../src/index.js';
import { percentile, printTable } from './stats.js';
import { createTopicAndWait } from '../src/kafka/admin.js';

const rate = Number(process.argv[2] ?? 2000);
const seconds = Number(process.argv[3] ?? 10);
const kafka = kafkaClient();

async function withTopic<T>(fn: (topic: string) => Promise<T>): Promise<T> {
  const topic = `bench-live-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await createTopicAndWait(admin, { topic, partitions: 2 });
  try {
    return await fn(topic);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Sends `rate` events/s for `seconds`, in 10 ms ticks; event time is the send time. */
async function produceAtRate(k: Kafka, topic: string): Promise<number> {
  const producer = k.producer();
  await producer.connect();
  const perTick = Math.max(1, Math.round(rate / 100));
  const start = Date.now();
  let sent = 0;
  for (let tick = 0; Date.now() - start < seconds * 1000; tick++) {
    const now = Date.now();
    await producer.send({ topic, messages: Array.from({ length: perTick }, (_, i) => ({ partition: (sent + i) % 2, value: JSON.stringify({ ts: now, v: sent + i }) })) });
    sent += perTick;
    const wait = start + (tick + 1) * 10 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await producer.disconnect();
  return sent;
}

async function bare(topic: string): Promise<{ lat: number[]; rate: number }> {
  const consumer = kafka.consumer({ groupId: `bench-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const lat: number[] = [];
  let n = 0;
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const m of batch.messages) {
        lat.push(now - (JSON.parse(String(m.value)) as { ts: number }).ts);
        n++;
      }
      await Promise.resolve();
    },
  });
  const t = performance.now();
  const sent = await produceAtRate(kafka, topic);
  while (n < sent) await new Promise((r) => setTimeout(r, 20));
  const ms = performance.now() - t;
  await consumer.disconnect();
  return { lat, rate: sent / (ms / 1000) };
}

async function engine(topic: string): Promise<{ lat: number[]; rate: number }> {
  const events = source({ name: 'events', time: 'ts', maxOutOfOrderness: '100 ms', live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', v: 'BIGINT' } });
  const q = await sql(`SELECT window_start, count(*) AS n, max(ts) AS newest FROM TUMBLE(events, ts, '1 second') GROUP BY ALL`, {
    sources: { events }, kafka, emit: 'updates', updateInterval: 0,
  });
  const lat: number[] = [];
  const reading = (async () => {
    for await (const batch of q.changelog()) {
      const now = Date.now();
      for (const r of batch.rows) if (r.kind === 'provisional') lat.push(now - Number(r.values.newest));
    }
  })();
  const t = performance.now();
  const sent = await produceAtRate(kafka, topic);
  while (q.stats().events < sent) await new Promise((r) => setTimeout(r, 20));
  const ms = performance.now() - t;
  await q.stop();
  await reading;
  await q.close();
  return { lat, rate: sent / (ms / 1000) };
}

const b = await withTopic(bare);
const o = await withTopic(engine);
const ms = (xs: number[], p: number): string => `${percentile(xs, p).toFixed(0)} ms`;
printTable(`live at ${rate} events/s for ${seconds} s (2 partitions)`, [
  { case: 'sustained events/s', ours: o.rate.toFixed(0), baseline: `${b.rate.toFixed(0)} (bare kafkajs)`, ratio: o.rate / b.rate },
  { case: 'produce-to-result latency p50', ours: ms(o.lat, 50), baseline: `${ms(b.lat, 50)} (produce-to-receipt)`, ratio: percentile(o.lat, 50) / Math.max(1, percentile(b.lat, 50)) },
  { case: 'produce-to-result latency p99', ours: ms(o.lat, 99), baseline: `${ms(b.lat, 99)} (produce-to-receipt)`, ratio: percentile(o.lat, 99) / Math.max(1, percentile(b.lat, 99)) },
]);
