/**
 * A CPU profile of the backlog load alone: fills a topic once (3 partitions, the JSON events of
 * bench/engine-backlog.ts), then profiles the engine's load (query with history { kafkaBacklog },
 * until caught up) and, for comparison, the bare kafkajs loop, each in its own .cpuprofile.
 *   node --import tsx bench/notes/profileBacklog.ts [messages=200000] [outDir=/tmp/prof]
 * Summarize with bench/notes/profileTop.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaClient, source, sql } from '../../src/index.js';
import { createTopicAndWait } from '../../src/kafka/admin.js';
import { cpuProfile } from './cpuProfile.js';

const total = Number(process.argv[2] ?? 200_000);
const outDir = process.argv[3] ?? '/tmp/prof';
mkdirSync(outDir, { recursive: true });
const kafka = kafkaClient();
const topic = `bench-profile-${randomBytes(4).toString('hex')}`;
const admin = kafka.admin();
await admin.connect();
await createTopicAndWait(admin, { topic, partitions: 3 });
const producer = kafka.producer();
await producer.connect();
const base = Date.UTC(2024, 0, 1);
for (let i = 0; i < total; i += 10_000) {
  const messages = Array.from({ length: Math.min(10_000, total - i) }, (_, j) => ({
    partition: (i + j) % 3,
    value: JSON.stringify({ ts: new Date(base + (i + j) * 1000).toISOString(), user: `u${(i + j) % 97}`, amount: ((i + j) % 1000) / 10 }),
  }));
  await producer.send({ topic, messages });
}
await producer.disconnect();

async function profiled(name: string, fn: () => Promise<void>): Promise<void> {
  const t = performance.now();
  await cpuProfile(join(outDir, `${name}.cpuprofile`), fn);
  const ms = performance.now() - t;
  console.log(`${name}: ${Math.round(total / (ms / 1000))} msg/s (${ms.toFixed(0)} ms)`);
}

// warm-up of the engine's modules and DuckDB, not profiled
const events = source({ name: 'events', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', user: 'VARCHAR', amount: 'DOUBLE' } });
const query = `SELECT window_start, count(*) AS n, sum(amount) AS total FROM TUMBLE(events, ts, '1 hour') GROUP BY ALL`;
await (await sql(query, { sources: { events }, kafka, until: 'caughtUp' })).collect();

await profiled('engine', async () => {
  const q = await sql(query, { sources: { events }, kafka, until: 'caughtUp' });
  await q.collect();
  if (q.stats().events !== total) throw new Error(`engine loaded ${q.stats().events} of ${total}`);
  await q.close();
});
await profiled('bare', async () => {
  const consumer = kafka.consumer({ groupId: `bench-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= total) resolve();
        await Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
});
await admin.deleteTopics({ topics: [topic] });
await admin.disconnect();
