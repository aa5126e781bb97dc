/**
 * Sinks end to end over a query that reads the topic's backlog, hands off and goes on live: the
 * Kafka topic (final rows keyed by window + group: a re-run upserts; every row in changelog mode),
 * DuckDB tables (upsert and append) and Parquet parts, each read back and compared with collect().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { isWindowpaneError, kafkaSink, parquetSink, source, sql, tableSink, type ChangelogRow, type Query } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { createTopic, testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, produce, tempDir, type TestEvent } from '../events.js';
import { lastPerKey, readTopic } from './readTopic.js';

const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const minutes = (from: number, n: number): TestEvent[] => Array.from({ length: n }, (_, i) => ({ partition: (from + i) % 2, ts: BASE + (from + i) * 60_000, g: ['a', 'b', 'c'][(from + i) % 3]!, v: from + i, x: (from + i) / 4 }));
const BACKLOG = minutes(0, 60);
const LIVE = minutes(60, 40);

/** A query over the topic: 60 events of backlog, then (once it runs) 40 live ones; ends at offset 50 of each partition. */
async function startQuery(kafka: Kafka, topic: string, options: { duckdb?: DuckDBInstance } = {}): Promise<Query> {
  const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
  return sql(`SELECT window_start, g, count(*) AS n, sum(v) AS sv, avg(x) AS ax FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, {
    sources: [ev], kafka, until: { offsets: { 0: 50, 1: 50 } }, ...options,
  });
}

const valuesOf = (rows: readonly ChangelogRow[]): Map<string, unknown> => new Map(rows.map((r) => [r.key, { ...r.group, ...r.values, window_start: r.windowStart, window_end: r.windowEnd }]));

test('Kafka sink: final rows keyed by window + group; a re-run upserts the same keys; changelog mode writes every row', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'sink-in' }, async (topic) => {
    const out = await createTopic({ prefix: 'sink-final', partitions: 3, kafka });
    const all = await createTopic({ prefix: 'sink-changelog', partitions: 1, kafka });
    const next = [0, 0];
    await produce(kafka, topic, BACKLOG, next);
    const q = await startQuery(kafka, topic);
    const finalSink = await q.sink(kafkaSink({ topic: out, mode: 'final' }));
    const changelogSink = await q.sink(kafkaSink({ topic: all, mode: 'changelog' }));
    await produce(kafka, topic, LIVE, next);
    const rows = await q.collect();
    const stats = await finalSink.done;
    assert.equal(stats.rows, rows.length);
    assert.equal(stats.messages, rows.length);
    const firstRun = lastPerKey(await readTopic(kafka, out));
    assert.equal(firstRun.size, 30, '100 events: 10 windows of 10 minutes, 3 groups');
    const parsed = new Map([...firstRun].map(([k, v]) => {
      const m = JSON.parse(v) as { kind: string; window_start: number; window_end: number; group: Record<string, unknown>; values: Record<string, unknown>; seq: number };
      assert.equal(m.kind, 'final');
      return [k, { ...m.group, ...m.values, window_start: m.window_start, window_end: m.window_end }];
    }));
    assert.deepEqual(parsed, valuesOf(rows));
    const changelog = await readTopic(kafka, all);
    assert.equal(changelog.length, (await changelogSink.done).messages);
    assert.ok(changelog.every((r) => r.key !== null && r.value !== null));
    await q.close();

    // the same query again: twice the messages, the same one value per key
    const q2 = await startQuery(kafka, topic);
    const again = await q2.sink(kafkaSink({ topic: out }));
    await q2.collect();
    await again.done;
    const records = await readTopic(kafka, out);
    assert.equal(records.length, 2 * rows.length);
    // seq is the row's position in its own run's changelog; everything else is the same
    const withoutSeq = (m: Map<string, string>) => new Map([...m].map(([k, v]) => [k, { ...(JSON.parse(v) as object), seq: 0 }]));
    assert.deepEqual(withoutSeq(lastPerKey(records)), withoutSeq(firstRun));
    await q2.close();
  });
});

test('table sinks: final rows upserted into a given instance, every row appended in the query\'s own', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'sink-table' }, async (topic) => {
    const next = [0, 0];
    await produce(kafka, topic, BACKLOG, next);
    const own = await DuckDBInstance.create(':memory:');
    const other = await DuckDBInstance.create(':memory:');
    const q = await startQuery(kafka, topic, { duckdb: own });
    const finals = await q.sink(tableSink({ table: 'results', duckdb: other }));
    const appended = await q.sink(tableSink({ table: 'changes', mode: 'changelog' }));
    await produce(kafka, topic, LIVE, next);
    const rows = await q.collect();
    assert.equal((await finals.done).rows, rows.length);
    await appended.done;
    const c = await other.connect();
    const read = await c.runAndReadAll(`SELECT key, g, n, sv, ax, epoch_ms(window_start) AS ws, epoch_ms(window_end) AS we FROM results ORDER BY key`);
    const got = new Map(read.getRowObjectsJS().map((r) => [r.key as string, { g: r.g, n: Number(r.n), sv: Number(r.sv), ax: r.ax, window_start: Number(r.ws), window_end: Number(r.we) }]));
    assert.deepEqual(got, valuesOf(rows));
    const types = await c.runAndReadAll(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'results' ORDER BY ordinal_position`);
    assert.deepEqual(types.getRows().map((r) => `${String(r[0])} ${String(r[1])}`), ['key VARCHAR', 'kind VARCHAR', 'seq BIGINT', 'window_start TIMESTAMP', 'window_end TIMESTAMP', 'g VARCHAR', 'n BIGINT', 'sv HUGEINT', 'ax DOUBLE']);
    const c2 = await own.connect();
    const changes = await c2.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT key) AS keys FROM changes WHERE kind = 'final'`);
    assert.deepEqual(changes.getRowObjectsJS().map((r) => [Number(r.n), Number(r.keys)]), [[rows.length, rows.length]]);

    // a re-run upserts into the same table: the same rows, once each
    const q2 = await startQuery(kafka, topic);
    const again = await q2.sink(tableSink({ table: 'results', duckdb: other }));
    await q2.collect();
    assert.equal((await again.done).rows, rows.length);
    assert.deepEqual(await again.read('SELECT count(*) AS n, count(DISTINCT key) AS keys FROM results'), [{ n: rows.length, keys: rows.length }]);
    await q2.close();

    // a table of another shape is refused with the catalogue message
    await c.run('CREATE TABLE wrong (x INTEGER)');
    await assert.rejects(q.sink(tableSink({ table: 'wrong', duckdb: other })), (e: unknown) => isWindowpaneError(e) && e.message === messages.sinkTableShape('wrong', 'x INTEGER', 'key VARCHAR, kind VARCHAR, seq BIGINT, window_start TIMESTAMP, window_end TIMESTAMP, g VARCHAR, n BIGINT, sv HUGEINT, ax DOUBLE'));
    c.closeSync();
    c2.closeSync();
    await q.close();
    other.closeSync();
    own.closeSync();
  });
});

test('Parquet sink: parts as rows arrive and at the end, read back with read_parquet; bad folders are clear errors', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'sink-parquet' }, async (topic) => {
    const next = [0, 0];
    await produce(kafka, topic, BACKLOG, next);
    const dir = join(tempDir(), 'out');
    const q = await startQuery(kafka, topic);
    const parts = await q.sink(parquetSink({ dir, rowsPerFile: 4, flushEvery: '1 hour' }));
    await produce(kafka, topic, LIVE, next);
    const rows = await q.collect();
    const stats = await parts.done;
    assert.equal(stats.files, Math.ceil(rows.length / 4), 'parts of 4 rows, the rest at the end');
    assert.deepEqual(await parts.read('SELECT max(n) AS most FROM (SELECT filename, count(*) AS n FROM read_parquet(\'' + dir + '/*.parquet\', filename = true) GROUP BY 1)'), [{ most: 4 }]);
    assert.equal((await parts.read()).length, rows.length);
    assert.ok(existsSync(join(dir, 'part-000001.parquet')));
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const read = await c.runAndReadAll(
      `SELECT key, g, n, sv, ax, epoch_ms(window_start) AS ws, epoch_ms(window_end) AS we FROM read_parquet('${dir}/*.parquet') QUALIFY row_number() OVER (PARTITION BY key ORDER BY seq DESC) = 1`,
    );
    const got = new Map(read.getRowObjectsJS().map((r) => [r.key as string, { g: r.g, n: Number(r.n), sv: Number(r.sv), ax: r.ax, window_start: Number(r.ws), window_end: Number(r.we) }]));
    assert.deepEqual(got, valuesOf(rows));
    c.closeSync();
    db.closeSync();

    await assert.rejects(q.sink(parquetSink({ dir })), (e: unknown) => isWindowpaneError(e) && e.message === messages.sinkDirHasParts(dir, stats.files));
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    await assert.rejects(q.sink(parquetSink({ dir: join(file, 'sub') })), (e: unknown) => isWindowpaneError(e) && e.code === 'sink-dir-not-writable' && e.message.startsWith(`the Parquet sink cannot write to the folder ${join(file, 'sub')}`));
    await assert.rejects(q.sink(kafkaSink({ topic: 'no-such-sink-topic-windowpane' })), (e: unknown) => isWindowpaneError(e) && e.message === messages.sinkTopicNotFound('no-such-sink-topic-windowpane'));
    await q.close();
  });
});

test('a sink that cannot write ends the query with its error, not silently', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'sink-fails' }, async (topic) => {
    const next = [0, 0];
    await produce(kafka, topic, BACKLOG, next);
    const duckdb = await DuckDBInstance.create(':memory:');
    const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    // unbounded: only the sink's failure can end it
    const q = await sql(`SELECT window_start, g, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka, duckdb });
    const sink = await q.sink(tableSink({ table: 'out' }));
    await q.processedUpTo({ 0: 30, 1: 30 });
    const conn = await duckdb.connect();
    await conn.run('DROP TABLE out');
    conn.closeSync();
    await produce(kafka, topic, LIVE, next);
    const isSinkError = (e: unknown): boolean => isWindowpaneError(e) && e.code === 'sink-write-failed' && e.message.includes('table sink to out');
    await assert.rejects(sink.done, isSinkError);
    await assert.rejects(q.done, isSinkError);
    assert.equal(q.stats().phase, 'done');
    await q.close();
    duckdb.closeSync();
  });
});
