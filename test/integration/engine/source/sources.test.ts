/**
 * Every kind of history source gives the batch answer: Parquet, CSV, NDJSON, a DuckDB table, a
 * DuckDB query; and the live hand-offs after a file without offsets ('end') and after an archive.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { from, source, sql, tumble, type HistoryInput } from '../../../../src/index.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, batchAnswer, diffResults, produce, tempDir, writeArchive, type TestEvent } from '../events.js';

const AGGS = 'count(*) AS n, sum(v) AS sv, avg(x) AS ax';
const COLS = ['n', 'sv', 'ax'];

function seeded(n: number, partitions = 2, startMs = BASE): TestEvent[] {
  let s = 7;
  const rnd = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: n }, (_, i) => ({ partition: i % partitions, ts: startMs + i * 45_000 + Math.floor(rnd() * 30_000), g: ['a', 'b', 'c'][i % 3]!, v: Math.floor(rnd() * 100), x: rnd() * 10 }));
}

const events = seeded(400);
const dir = tempDir();

async function historyOnly(history: HistoryInput, duckdb?: DuckDBInstance): Promise<void> {
  const ev = source({ name: 'ev', time: 'ts', history });
  const q = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '15 minutes') GROUP BY ALL`, { sources: [ev], ...(duckdb ? { duckdb } : {}) });
  const rows = await q.collect();
  await q.close();
  assert.equal(diffResults(rows, await batchAnswer(events, 900_000, 900_000, AGGS), COLS, ['ax']), undefined);
}

test('Parquet history', async () => {
  const path = join(dir, 'e.parquet');
  await writeArchive(path, events, events.map((_, i) => i));
  await historyOnly({ parquet: path });
});

test('CSV history (a glob)', async () => {
  await writeArchive(join(dir, 'e1.csv'), events.slice(0, 200), events.map((_, i) => i), 'csv');
  await writeArchive(join(dir, 'e2.csv'), events.slice(200), events.map((_, i) => i), 'csv');
  await historyOnly({ csv: join(dir, 'e*.csv') });
});

test('NDJSON history', async () => {
  const path = join(dir, 'e.ndjson');
  await writeArchive(path, events, events.map((_, i) => i), 'json');
  await historyOnly({ json: path });
});

test('DuckDB table and query history', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const path = join(dir, 't.parquet');
  await writeArchive(path, events, events.map((_, i) => i));
  await c.run(`CREATE TABLE flights AS SELECT * FROM '${path}'`);
  await historyOnly({ table: 'flights' }, db);
  await historyOnly({ query: 'SELECT ts, g, v, x FROM flights WHERE true' }, db);
  c.closeSync();
  db.closeSync();
});

test('the builder gives the same answer as SQL', async () => {
  const path = join(dir, 'b.parquet');
  await writeArchive(path, events, events.map((_, i) => i));
  const ev = source({ name: 'ev', time: 'ts', history: { parquet: path } });
  const q = await from(ev).window(tumble('ts', '15 minutes')).groupBy('g').aggregate({ n: 'count(*)', sv: 'sum(v)', ax: 'avg(x)' }).run();
  const rows = await q.collect();
  await q.close();
  assert.equal(diffResults(rows, await batchAnswer(events, 900_000, 900_000, AGGS), COLS, ['ax']), undefined);
});

test('archive with _partition/_offset resumes live exactly after it; plain files start live at the end', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'archive' }, async (topic) => {
    const next = [0, 0];
    const all = seeded(300);
    const offsets = await produce(kafka, topic, all, next);
    // the archive holds the first 100 records of each partition
    const archived = all.map((e, i) => ({ e, o: offsets[i]! })).filter(({ o }) => o < 100);
    const path = join(dir, 'arch.parquet');
    await writeArchive(path, archived.map((a) => a.e), archived.map((a) => a.o));
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { parquet: path }, live: { topic } });
    const q = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '15 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: 'caughtUp' });
    assert.match(q.explain(), /hand-off: archive; live starts at 0:100 1:100/);
    const rows = await q.collect();
    assert.equal(q.stats().events, all.length);
    await q.close();
    assert.equal(diffResults(rows, await batchAnswer(all, 900_000, 900_000, AGGS), COLS, ['ax']), undefined);

    // a file without offsets and startAt 'end': live starts at the end offsets seen at start, so only
    // new records count (by default it hands off by time: see timeHandoff.test.ts)
    const plain = join(dir, 'plain.parquet');
    await writeArchive(plain, all.slice(0, 10), all.slice(0, 10).map(() => 0));
    const later = seeded(20, 2, BASE + 400 * 45_000);
    const ev2 = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { query: `SELECT ts, g, v, x FROM '${plain}'` }, live: { topic, startAt: 'end' } });
    const q2 = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '15 minutes') GROUP BY ALL`, { sources: [ev2], kafka, until: { offsets: { 0: 160, 1: 160 } } });
    assert.match(q2.explain(), /hand-off: end; live starts at 0:150 1:150/);
    await produce(kafka, topic, later, next);
    const rows2 = await q2.collect();
    await q2.close();
    assert.equal(diffResults(rows2, await batchAnswer([...all.slice(0, 10), ...later], 900_000, 900_000, AGGS), COLS, ['ax']), undefined);
  });
});

test('an archive that ends before what retention kept: the lost records are a reported gap, the rest is read once', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'archive-lost' }, async (topic) => {
    const all = seeded(300);
    const offsets = await produce(kafka, topic, all, [0, 0]);
    // the archive holds offsets below 100 of each partition; retention has deleted those below 120
    const archived = all.map((e, i) => ({ e, o: offsets[i]! })).filter(({ o }) => o < 100);
    const path = join(dir, 'arch-lost.parquet');
    await writeArchive(path, archived.map((a) => a.e), archived.map((a) => a.o));
    const admin = kafka.admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [0, 1].map((partition) => ({ partition, offset: '120' })) });
    await admin.disconnect();
    const warnings: string[] = [];
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { parquet: path }, live: { topic } });
    const q = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '15 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: 'caughtUp', onWarning: (m) => warnings.push(m) });
    const rows = await q.collect();
    assert.match(q.explain(), /hand-off: archive; live starts at 0:120 1:120/);
    assert.deepEqual(q.stats().handoff?.gaps.map((g) => [g.kind, g.partition]), [['lost', 0], ['lost', 1]]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /hand-off gap in source ev: the history ends before offset 100 of topic "archive-lost-\w+" partition 0, but the topic no longer holds records before offset 120 \(deleted by retention\): 20 records are lost\. Extend the archive, or raise the topic's retention\.ms\./);
    await q.close();
    const kept = all.filter((_, i) => offsets[i]! < 100 || offsets[i]! >= 120);
    assert.equal(diffResults(rows, await batchAnswer(kept, 900_000, 900_000, AGGS), COLS, ['ax']), undefined);
  });
});
