/**
 * A CPU profile of the stateless Nexmark queries beside their baseline: fills a Nexmark topic once
 * (2 partitions, as the suite's case), warms up, then profiles the copies of the backlog (kafkajs, the sink's producer) and
 * each query as a pipeline into a Kafka sink, each in its own .cpuprofile, and prints events/s per
 * core (events / CPU seconds of the process) for each.
 *   node --import tsx bench/notes/profileNexmark.ts [events=200000] [outDir=/tmp/prof] [queries=q0,q1]
 * Summarize with bench/notes/profileTop.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaClient, kafkaSink, pipeline, source } from '../../src/index.js';
import { createTopicAndWait } from '../../src/kafka/admin.js';
import { NEXMARK_SCHEMA } from '../nexmark/encode.js';
import { produceNexmark } from '../nexmark/produce.js';
import { NEXMARK_QUERIES } from '../nexmark/queries.js';
import { copyBacklog } from '../suite/cases/nexmarkCopy.js';
import type { Context } from '../suite/context.js';
import { cpuProfile } from './cpuProfile.js';

const events = Number(process.argv[2] ?? 200_000);
const outDir = process.argv[3] ?? '/tmp/prof';
const wanted = (process.argv[4] ?? 'q0,q1').split(',');
mkdirSync(outDir, { recursive: true });
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
const kafka = kafkaClient();
const admin = kafka.admin();
await admin.connect();
let count = 0;
// just what copyBacklog uses of the suite's context
const ctx = {
  kafka,
  async createTopic(prefix: string, partitions: number) {
    const topic = `bench-profile-${prefix}-${process.pid}-${++count}`;
    await createTopicAndWait(admin, { topic, partitions });
    return topic;
  },
  async deleteTopic(topic: string) {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  },
} as unknown as Context;

const topic = await ctx.createTopic('nexmark', 2);
await produceNexmark(kafka, topic, events);
const nexmark = source({ name: 'nexmark', time: 'dateTime', maxOutOfOrderness: '4 seconds', history: { kafkaBacklog: true }, live: { topic }, schema: NEXMARK_SCHEMA });

async function runQuery(text: string): Promise<number> {
  const out = await ctx.createTopic('out', 2);
  const p = await pipeline(text, { sources: { nexmark }, until: 'caughtUp', kafka });
  try {
    return (await (await p.sink(kafkaSink({ topic: out, kafka }))).done).messages;
  } finally {
    await p.close();
    await ctx.deleteTopic(out);
  }
}

async function profiled(name: string, fn: () => Promise<number>): Promise<void> {
  const t = performance.now();
  const { result: rows, cpuMs } = await cpuProfile(join(outDir, `${name}.cpuprofile`), fn);
  const ms = performance.now() - t;
  console.log(`${name}: ${Math.round(events / (cpuMs / 1000))} events/s per core, ${Math.round(events / (ms / 1000))} wall (${ms.toFixed(0)} ms, ${rows} rows)`);
}

const queries = NEXMARK_QUERIES.filter((q) => wanted.includes(q.id));
// warm-up of the modules, DuckDB and the producer, not profiled
await copyBacklog(ctx, topic, 2, events);
for (const q of queries) await runQuery(q.sql);

await profiled('copy', async () => (await copyBacklog(ctx, topic, 2, events)).rows);
await profiled('copy-sink', async () => (await copyBacklog(ctx, topic, 2, events, 'sink')).rows);
for (const q of queries) await profiled(q.id, () => runQuery(q.sql));
await ctx.deleteTopic(topic);
await admin.disconnect();
