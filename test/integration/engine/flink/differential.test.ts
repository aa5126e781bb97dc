/**
 * The two engines held together: the same query over the same random events, split anywhere between
 * history (a Parquet archive of the topic, or the topic's backlog) and live, out of order within the
 * declared bound, gives the same final rows on the local engine and on a real Flink cluster. Tumble,
 * hop, cumulate and session windows (in Windowpane's and Flink's spelling), table enrichment and an
 * interval join. Each Flink job costs seconds, so the runs are few and seeded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { from, intervalJoin, source, sql, tumble, type ChangelogRow, type Query } from '../../../../src/index.js';
import { createTopic, testKafka } from '../../../helpers/kafka.js';
import { testFlinkOptions } from '../../../helpers/flink.js';
import { eventStep, makeEvents, produce, tempDir, writeArchive, type TestEvent } from '../events.js';

const BOUND_MS = 4 * 60_000;
const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const AGGS = 'count(*) AS n, sum(v) AS sv, min(v) AS mn, max(v) AS mx, avg(x) AS ax';

const WINDOWS = {
  tumble: `SELECT window_start, window_end, g, ${AGGS} FROM TUMBLE(ev, ts, '10 minutes') GROUP BY window_start, window_end, g`,
  hop: `SELECT window_start, g, ${AGGS} FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' MINUTE, INTERVAL '30' MINUTE)) GROUP BY window_start, g`,
  cumulate: `SELECT window_start, window_end, g, ${AGGS} FROM CUMULATE(ev, ts, '10 minutes', '30 minutes') GROUP BY window_start, window_end, g`,
  session: `SELECT window_start, window_end, g, ${AGGS} FROM SESSION(ev PARTITION BY g, ts, '7 minutes') GROUP BY window_start, window_end, g`,
} as const;

const step = eventStep(BOUND_MS);
const events = fc.record({ partitions: fc.integer({ min: 1, max: 3 }), steps: fc.array(step, { minLength: 5, maxLength: 80, size: 'medium' }), split: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }) });

let compared = 0;

/** Final rows by key, compared value by value: exact, or within 1e-9 relative for floats (sums in another order). */
function assertSameRows(local: readonly ChangelogRow[], flink: readonly ChangelogRow[], what: string): void {
  const byKey = (rows: readonly ChangelogRow[]) => new Map(rows.map((r) => [r.key, r]));
  const a = byKey(local);
  const b = byKey(flink);
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort(), `${what}: the same windows and groups`);
  assert.ok(flink.every((r) => r.kind === 'final'), `${what}: every Flink row is final`);
  assert.ok(local.length > 0, `${what}: there are windows to compare`);
  compared += local.length;
  for (const [key, row] of a) {
    for (const [col, v] of Object.entries(row.values)) {
      const w = b.get(key)!.values[col];
      if (typeof v === 'number' && typeof w === 'number' && !Number.isInteger(v)) assert.ok(Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(v)), `${what}: ${key} ${col} ${v} vs ${w}`);
      else assert.equal(w, v, `${what}: ${key} ${col}`);
    }
  }
}

/** Both engines over the same sources: the local run's final rows and Flink's. */
async function bothEngines(start: (engine: Record<string, unknown>) => Promise<Query>): Promise<{ local: ChangelogRow[]; flink: ChangelogRow[] }> {
  const run = async (engine: Record<string, unknown>) => {
    const q = await start(engine);
    try {
      return await q.collect();
    } finally {
      await q.close();
    }
  };
  return { local: await run({}), flink: await run({ engine: 'flink', flink: testFlinkOptions() }) };
}

/** Events into a fresh topic, split per partition: history (the backlog, or an archive with offsets) and live. */
async function topicWith(kafka: Kafka, all: readonly TestEvent[], partitions: number, split: readonly number[], archive: string | undefined): Promise<{ topic: string; ends: Record<number, number>; history: { parquet: string } | { kafkaBacklog: true } }> {
  const byPartition = Array.from({ length: partitions }, (_, p) => all.filter((e) => e.partition === p));
  const cut = byPartition.map((list, p) => Math.floor((list.length * split[p]!) / 100));
  const topic = await createTopic({ kafka, partitions, prefix: 'flink-diff' });
  const next = new Array<number>(partitions).fill(0);
  const history = byPartition.flatMap((list, p) => list.slice(0, cut[p]));
  const offsets = await produce(kafka, topic, history, next);
  await produce(kafka, topic, byPartition.flatMap((list, p) => list.slice(cut[p])), next);
  if (archive) await writeArchive(archive, history, offsets);
  return { topic, ends: Object.fromEntries(next.map((o, p) => [p, o])), history: archive ? { parquet: archive } : { kafkaBacklog: true } };
}

test('tumble, hop, cumulate and session windows: the same final rows on both engines', { timeout: 900_000 }, async (t) => {
  const kafka = testKafka();
  const dir = tempDir();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(events, fc.constantFrom(...(Object.keys(WINDOWS) as (keyof typeof WINDOWS)[])), fc.boolean(), async (e, window, archived) => {
      run++;
      const all = makeEvents(e.steps, e.partitions, BOUND_MS);
      const topic = await topicWith(kafka, all, e.partitions, e.split, archived ? join(dir, `archive-${run}.parquet`) : undefined);
      const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history: topic.history, live: { topic: topic.topic }, schema });
      const { local, flink } = await bothEngines((engine) => sql(WINDOWS[window], { sources: [ev], kafka, until: { offsets: topic.ends }, ...engine }));
      assertSameRows(local, flink, `${window} over ${all.length} events (${archived ? 'archive' : 'backlog'})`);
    }),
    { seed: 1414, numRuns: 8, endOnFailure: true },
  );
  t.diagnostic(`${compared} window results compared`);
});

test('enrichment from a DuckDB table: the same final rows on both engines', { timeout: 600_000 }, async () => {
  const kafka = testKafka();
  const duck = await DuckDBInstance.create(':memory:');
  const db = await duck.connect();
  // 'c' has no profile: the left join gives NULL, counted by neither sum
  await db.run(`CREATE TABLE profile AS SELECT * FROM (VALUES ('a', 10, 'north'), ('b', 20, 'south')) AS p(g, weight, region)`);
  await fc.assert(
    fc.asyncProperty(events, async (e) => {
      const all = makeEvents(e.steps, e.partitions, BOUND_MS);
      const t = await topicWith(kafka, all, e.partitions, e.split, undefined);
      const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history: t.history, live: { topic: t.topic }, schema });
      const query = from(ev).enrich('profile', { on: 'g' }).window(tumble('ts', '10 minutes')).groupBy('g', 'region').aggregate({ n: 'count(*)', w: 'sum(weight)', mx: 'max(v * weight)' });
      const { local, flink } = await bothEngines((engine) => query.run({ duckdb: duck, kafka, until: { offsets: t.ends }, ...engine }));
      assertSameRows(local, flink, `enrichment over ${all.length} events`);
    }),
    { seed: 77, numRuns: 2, endOnFailure: true },
  );
  db.closeSync();
  duck.closeSync();
});

test('an interval join of two topics, windowed: the same final rows on both engines', { timeout: 600_000 }, async () => {
  const kafka = testKafka();
  await fc.assert(
    fc.asyncProperty(events, events, async (ea, eb) => {
      const a = makeEvents(ea.steps, ea.partitions, BOUND_MS);
      const b = makeEvents(eb.steps, eb.partitions, BOUND_MS);
      const ta = await topicWith(kafka, a, ea.partitions, ea.split, undefined);
      const tb = await topicWith(kafka, b, eb.partitions, eb.split, undefined);
      const sa = source({ name: 'ea', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history: ta.history, live: { topic: ta.topic }, schema });
      const sb = source({ name: 'eb', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history: tb.history, live: { topic: tb.topic }, schema });
      const joined = intervalJoin(sa, sb, { on: 'g', lower: '-3 minutes', upper: '3 minutes' });
      const text = `SELECT window_start, window_end, g, count(*) AS n, sum(v) AS sv, sum(eb_v) AS sbv FROM TUMBLE(ea_eb, ts, '10 minutes') GROUP BY window_start, window_end, g`;
      const { local, flink } = await bothEngines((engine) => sql(text, { sources: [joined], kafka, until: 'caughtUp', ...engine }));
      assertSameRows(local, flink, `interval join of ${a.length} and ${b.length} events`);
    }),
    { seed: 5, numRuns: 2, endOnFailure: true },
  );
});
