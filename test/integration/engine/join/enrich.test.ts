/**
 * Stream–table enrichment across the hand-off: a SQL JOIN with a table of the query's DuckDB
 * instance (topic backlog → live) and the builder's enrich() with a Parquet table (archive → live)
 * give the batch answer of DuckDB joining all events with the table as it was at the query's start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { from, source, sql, tumble, type Scalar } from '../../../../src/index.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, diffResults, produce, tempDir, writeArchive, type TestEvent } from '../events.js';

const dir = tempDir();
const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
// 'c' has no profile: a left join keeps its events with a NULL tier
const PROFILES = `SELECT * FROM (VALUES ('a', 'gold', 100), ('b', 'silver', 50), ('d', 'bronze', 10)) p(g, tier, credit)`;

function seeded(n: number, partitions: number): TestEvent[] {
  let s = 11;
  const rnd = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: n }, (_, i) => ({ partition: i % partitions, ts: BASE + i * 40_000 + Math.floor(rnd() * 30_000), g: ['a', 'b', 'c'][Math.floor(rnd() * 3)]!, v: Math.floor(rnd() * 100), x: 0 }));
}

/** DuckDB's answer: all events left-joined with the profiles, in 15-minute windows by tier. */
async function batch(events: readonly TestEvent[], inner: boolean): Promise<Map<string, Record<string, Scalar>>> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('CREATE TABLE e (ts BIGINT, g VARCHAR, v BIGINT)');
  await c.run(`INSERT INTO e VALUES ${events.map((e) => `(${e.ts}, '${e.g}', ${e.v})`).join(', ')}`);
  const r = await c.runAndReadAll(
    `SELECT ts // 900000 * 900000 AS ws, p.tier, count(*), sum(v), sum(v * p.credit) FROM e ${inner ? 'JOIN' : 'LEFT JOIN'} (${PROFILES}) p ON e.g = p.g GROUP BY ALL`,
  );
  const out = new Map<string, Record<string, Scalar>>();
  for (const [ws, tier, n, sv, sc] of r.getRows()) out.set(`${Number(ws)}|${Number(ws) + 900_000}|${JSON.stringify([tier])}`, { n: Number(n), sv: Number(sv), sc: sc === null ? null : Number(sc) });
  c.closeSync();
  db.closeSync();
  return out;
}

test('SQL: TUMBLE(...) JOIN a table of the query\'s DuckDB instance, across the backlog hand-off; the table is read as of the start', async () => {
  const kafka = testKafka();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`CREATE TABLE profiles AS ${PROFILES}`);
  await withTopic({ partitions: 2, prefix: 'enrich-sql' }, async (topic) => {
    const events = seeded(240, 2);
    const next = [0, 0];
    await produce(kafka, topic, events.slice(0, 120), next);
    const tx = source({ name: 'tx', time: 'ts', maxOutOfOrderness: '1 minute', history: { kafkaBacklog: true }, live: { topic }, schema });
    for (const inner of [true, false]) {
      const q = await sql(
        `SELECT window_start, p.tier, count(*) AS n, sum(t.v) AS sv, sum(t.v * p.credit) AS sc
           FROM TUMBLE(tx, ts, '15 minutes') t ${inner ? 'JOIN' : 'LEFT JOIN'} profiles p ON t.g = p.g
          GROUP BY ALL`,
        { sources: [tx], kafka, duckdb: db, until: { offsets: { 0: 120, 1: 120 } } },
      );
      assert.match(q.explain(), /hand-off: backlog/);
      if (inner) {
        // a change after the start is not seen: the query joins the table as it was
        await c.run(`UPDATE profiles SET credit = credit * 1000`);
        await produce(kafka, topic, events.slice(120), next);
      }
      const rows = await q.collect();
      await q.close();
      assert.equal(diffResults(rows, await batch(events, inner), ['n', 'sv', 'sc']), undefined);
      await c.run(`UPDATE profiles SET credit = credit / 1000`);
    }
  });
  c.closeSync();
  db.closeSync();
});

test('builder: enrich() with a Parquet table before the window, across the archive hand-off; unmatched rows keep NULLs', async () => {
  const kafka = testKafka();
  const profiles = join(dir, 'profiles.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (${PROFILES}) TO '${profiles}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
  await withTopic({ partitions: 2, prefix: 'enrich-builder' }, async (topic) => {
    const events = seeded(240, 2);
    const next = [0, 0];
    const offsets = await produce(kafka, topic, events.slice(0, 140), next);
    const archive = join(dir, 'tx-archive.parquet');
    await writeArchive(archive, events.slice(0, 140), offsets);
    const tx = source({ name: 'tx', time: 'ts', maxOutOfOrderness: '1 minute', history: { parquet: archive }, live: { topic }, schema });
    const q = await from(tx)
      .enrich({ parquet: profiles }, { on: 'g', columns: ['tier', 'credit'] })
      .window(tumble('ts', '15 minutes'))
      .groupBy('tier')
      .aggregate({ n: 'count(*)', sv: 'sum(v)', sc: 'sum(v * credit)' })
      .run({ kafka, until: { offsets: { 0: 120, 1: 120 } } });
    assert.match(q.explain(), /enrich from parquet .*profiles\.parquet \(as of the query's start\) on g/);
    assert.match(q.explain(), /hand-off: archive; live starts at 0:70 1:70/);
    await produce(kafka, topic, events.slice(140), next);
    const rows = await q.collect();
    await q.close();
    assert.ok(rows.some((r) => r.group.tier === null), 'events of g = c keep a NULL tier');
    assert.equal(diffResults(rows, await batch(events, false), ['n', 'sv', 'sc']), undefined);
  });
});
