/**
 * Helpers for the join tests: two event streams (TestEvent from ../events.ts), each split between
 * history (topic backlog or a Parquet archive with offsets) and live, and the batch answer: DuckDB
 * joining both full inputs, then windowing by an explicit range join.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import type { Query, Scalar } from '../../../../src/index.js';
import { createTopic } from '../../../helpers/kafka.js';
import { produce, writeArchive, type TestEvent } from '../events.js';

export type HistoryKind = 'backlog' | 'archive';

export interface Side {
  readonly topic: string;
  readonly partitions: number;
  readonly history: { kafkaBacklog: true } | { parquet: string };
  readonly live: readonly TestEvent[];
  readonly next: number[];
}

/** Creates the side's topic, produces its history part, and writes the archive when asked. */
export async function prepareSide(kafka: Kafka, name: string, events: readonly TestEvent[], partitions: number, cuts: readonly number[], kind: HistoryKind, dir: string): Promise<Side> {
  const byPartition = Array.from({ length: partitions }, (_, p) => events.filter((e) => e.partition === p));
  const cut = byPartition.map((list, p) => Math.floor((list.length * (cuts[p] ?? 50)) / 100));
  const history = byPartition.flatMap((list, p) => list.slice(0, cut[p]));
  const live = byPartition.flatMap((list, p) => list.slice(cut[p]));
  const topic = await createTopic({ kafka, partitions, prefix: `join-${name}` });
  const next = new Array<number>(partitions).fill(0);
  const offsets = await produce(kafka, topic, history, next);
  if (kind === 'backlog') return { topic, partitions, history: { kafkaBacklog: true }, live, next };
  const path = join(dir, `${topic}.parquet`);
  await writeArchive(path, history, offsets);
  return { topic, partitions, history: { parquet: path }, live, next };
}

/**
 * Produces the live parts in small interleaved sends, each followed by one malformed record per
 * partition of its topic (a dead letter: it changes no result). With `query`, each send waits until
 * the query has counted its markers, so the inputs' micro-batches alternate in a known order and
 * each joins the other's buffer. Returns the number of markers sent.
 */
export async function produceLive(kafka: Kafka, sides: readonly Side[], chunk = 5, query?: Query): Promise<number> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let markers = 0;
  const mark = async (s: Side): Promise<void> => {
    await producer.send({ topic: s.topic, acks: -1, messages: Array.from({ length: s.partitions }, (_, p) => ({ partition: p, value: 'end of test input' })) });
    for (let p = 0; p < s.partitions; p++) s.next[p]!++;
    markers += s.partitions;
    if (query) await countedDeadLetters(query, markers);
  };
  try {
    const longest = Math.max(0, ...sides.map((s) => s.live.length));
    for (let i = 0; i < longest; i += chunk) {
      for (const s of sides) {
        if (i >= s.live.length) continue;
        await produce(kafka, s.topic, s.live.slice(i, i + chunk), s.next);
        if (query) await mark(s);
      }
    }
    if (!query) for (const s of sides) await mark(s);
  } finally {
    await producer.disconnect();
  }
  return markers;
}

async function countedDeadLetters(q: Query, n: number): Promise<void> {
  for (let i = 0; q.stats().deadLetters < n; i++) {
    if (i > 1200) throw new Error(`the query counted ${q.stats().deadLetters} of ${n} end markers`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the query has counted `n` dead letters (the markers), then stops it with a flush. */
export async function stopAfterMarkers(q: Query, n: number): Promise<void> {
  await countedDeadLetters(q, n);
  await q.stop();
}

export async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
  await admin.disconnect();
}

/**
 * The batch answer of a tumbling/hopping window over the interval join of l and r on g:
 * count, sum(l.v), sum(r.v) and the summed time distance, per window and g.
 */
export async function joinBatchAnswer(l: readonly TestEvent[], r: readonly TestEvent[], lowerMs: number, upperMs: number, sizeMs: number, slideMs: number): Promise<Map<string, Record<string, Scalar>>> {
  const out = new Map<string, Record<string, Scalar>>();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const [name, events] of [['l', l], ['r', r]] as const) {
    await c.run(`CREATE TABLE ${name} (ts BIGINT, g VARCHAR, v BIGINT)`);
    if (events.length > 0) await c.run(`INSERT INTO ${name} VALUES ${events.map((e) => `(${e.ts}, '${e.g}', ${e.v})`).join(', ')}`);
  }
  const lo = Math.floor((Math.min(0, ...l.map((e) => e.ts)) - sizeMs) / slideMs) * slideMs;
  const res = await c.runAndReadAll(
    `WITH j AS (SELECT l.ts, l.g, l.v, r.v AS r_v, r.ts - l.ts AS d FROM l JOIN r ON l.g = r.g AND r.ts BETWEEN l.ts + ${lowerMs} AND l.ts + ${upperMs}),
     w AS (SELECT range AS ws FROM range(${lo}, (SELECT coalesce(max(ts), 0) + 1 FROM l), ${slideMs}))
     SELECT w.ws, j.g, count(*) AS n, sum(v) AS sv, sum(r_v) AS srv, sum(d) AS sd FROM j JOIN w ON j.ts >= w.ws AND j.ts < w.ws + ${sizeMs} GROUP BY ALL`,
  );
  for (const [ws, g, n, sv, srv, sd] of res.getRows()) {
    const start = Number(ws);
    out.set(`${start}|${start + sizeMs}|${JSON.stringify([g])}`, { n: Number(n), sv: Number(sv), srv: Number(srv), sd: Number(sd) });
  }
  c.closeSync();
  db.closeSync();
  return out;
}

export const JOIN_AGGS = 'count(*) AS n, sum(v) AS sv, sum(r_v) AS srv, sum(epoch_ms(r_ts) - epoch_ms(ts)) AS sd';
export const JOIN_COLUMNS = ['n', 'sv', 'srv', 'sd'];
