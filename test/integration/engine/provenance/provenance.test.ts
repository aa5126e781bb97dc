/**
 * Provenance on the real broker: what a run records (file fingerprints, Kafka offsets [from, to),
 * the hand-off, the query), and replay from it: the same rows after more records were appended, and
 * clear errors when the history changed or the recorded records are gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { run, source, SourceError, ConfigError, sql, type ChangelogRow } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { compileSql } from '../../../../src/engine/sql/compile.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, tempDir, type TestEvent } from '../events.js';
import { produceTimed, writePlain } from '../timed.js';

const QUERY = `SELECT window_start, g, count(*) AS n, sum(v) AS sv FROM TUMBLE(ev, ts, '15 minutes') GROUP BY ALL`;
const SCHEMA = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const dir = tempDir();

function seeded(n: number, startMs = BASE, seed = 5): TestEvent[] {
  let s = seed;
  const rnd = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: n }, (_, i) => ({ partition: i % 2, ts: startMs + i * 45_000 + Math.floor(rnd() * 30_000), g: ['a', 'b', 'c'][i % 3]!, v: Math.floor(rnd() * 100), x: rnd() }));
}

const shape = (rows: readonly ChangelogRow[]) => rows.map((r) => ({ key: r.key, kind: r.kind, values: r.values }));

test('a run records its history fingerprints, offsets and hand-off; replay reproduces its rows after appends', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'prov' }, async (topic) => {
    const all = seeded(200);
    const boundary = all[119]!.ts;
    const path = join(dir, 'prov.parquet');
    await writePlain(path, all.filter((e) => e.ts <= boundary));
    await produceTimed(kafka, topic, all);
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { parquet: path }, live: { topic }, schema: SCHEMA });
    const plan = compileSql(QUERY, [ev]);
    const q = await run(plan, { kafka, until: 'caughtUp' });
    const rows = await q.collect();
    const p = q.provenance()!;
    const stats = q.stats();
    await q.close();

    assert.equal(p.format, 'windowpane.provenance/1');
    assert.equal(p.library.version, (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    assert.equal(p.query.sql, QUERY);
    assert.deepEqual(p.query.plan, plan);
    assert.deepEqual(p.history, {
      kind: 'files', format: 'parquet', patterns: [path],
      files: [{ path, size: statSync(path).size, modified: statSync(path).mtime.toISOString(), sha256: createHash('sha256').update(readFileSync(path)).digest('hex') }],
    });
    assert.equal(p.kafka?.topic, topic);
    assert.ok(p.kafka.brokers.length > 0 && p.kafka.brokers.every((b) => /^[^:]+:\d+$/.test(b)));
    const high = [all.filter((e) => e.partition === 0).length, all.filter((e) => e.partition === 1).length];
    assert.deepEqual(p.kafka.offsets, { 0: [stats.handoff!.start['0'], high[0]], 1: [stats.handoff!.start['1'], high[1]] });
    assert.equal(p.kafka.handoff.kind, 'time');
    assert.equal(p.kafka.handoff.boundary, new Date(boundary).toISOString());
    assert.equal(p.kafka.handoff.overlap, stats.overlap);
    assert.deepEqual(p.run, { emit: 'final', flush: true, until: 'caughtUp', finished: true });
    assert.doesNotMatch(JSON.stringify(p), /password|sasl|username|ssl/i);

    // more records arrive; the replay reads exactly the recorded ones (and through JSON, as from a notebook)
    await produceTimed(kafka, topic, seeded(60, all.at(-1)!.ts + 60_000, 9));
    const replayed = await run(plan, { kafka, replay: JSON.parse(JSON.stringify(p)) as typeof p });
    const again = await replayed.collect();
    assert.equal(replayed.stats().overlap, stats.overlap);
    assert.equal(replayed.stats().events, stats.events);
    assert.deepEqual(replayed.provenance()?.kafka?.offsets, p.kafka.offsets);
    assert.ok(replayed.explain().includes(`  replay of the run recorded at ${p.recordedAt}: the recorded start offsets and boundary, up to the recorded ends`));
    await replayed.close();
    assert.deepEqual(shape(again), shape(rows));
    // the recorded plan runs as it is
    const fromRecord = await run(p.query.plan, { kafka, replay: p });
    assert.deepEqual(shape(await fromRecord.collect()), shape(rows));
    await fromRecord.close();
    // a provenance without the history's fingerprint cannot check it
    const { history: _history, ...unhashed } = p;
    await assert.rejects(run(plan, { kafka, replay: unhashed }), /it has no fingerprint of the history of source ev/);

    // a changed history file is named, with what changed
    await writePlain(path, all.filter((e) => e.ts <= boundary).map((e, i) => (i === 3 ? { ...e, v: e.v + 1 } : e)));
    await assert.rejects(run(plan, { kafka, replay: p }), (e: unknown) => e instanceof SourceError && e.code === 'replay-history-changed' && e.message.startsWith(`history file ${path} changed since the run was recorded: `));
    // another query
    await assert.rejects(sql(QUERY.replace('sum(v)', 'max(v)'), { sources: [ev], kafka, replay: p }), (e: unknown) => e instanceof ConfigError && e.code === 'replay-plan-differs');
  });
});

test('replay of backlog and table history; records deleted since are a clear error', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'prov-backlog' }, async (topic) => {
    const all = seeded(100);
    await produceTimed(kafka, topic, all.slice(0, 60));
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { kafkaBacklog: true }, live: { topic }, schema: SCHEMA });
    const q = await sql(QUERY, { sources: [ev], kafka, until: { offsets: { 0: 50, 1: 50 } } });
    await produceTimed(kafka, topic, all.slice(60));
    const rows = await q.collect();
    const p = q.provenance()!;
    await q.close();
    assert.deepEqual(p.kafka?.offsets, { 0: [0, 50], 1: [0, 50] });
    assert.deepEqual(p.kafka?.handoff.backlogEnd, { 0: 30, 1: 30 });
    await produceTimed(kafka, topic, seeded(20, all.at(-1)!.ts, 3));
    const r = await sql(QUERY, { sources: [ev], kafka, replay: p });
    assert.deepEqual(shape(await r.collect()), shape(rows));
    await r.close();

    const admin = kafka.admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 1, offset: '5' }] });
    await admin.disconnect();
    await assert.rejects(sql(QUERY, { sources: [ev], kafka, replay: p }), (e: unknown) => e instanceof SourceError && e.message === messages.replayOffsetsGone(topic, 1, 0, 5));
  });

  // table history: fingerprinted in DuckDB (row count and a hash aggregate)
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`CREATE TABLE hist AS SELECT make_timestamp(${BASE * 1000} + range * 60000000) AS ts, 'a' AS g, range AS v, 0.5 AS x FROM range(90)`);
  const tv = source({ name: 'ev', time: 'ts', history: { table: 'hist' } });
  const q = await sql(QUERY, { sources: [tv], duckdb: db });
  const rows = await q.collect();
  const p = q.provenance()!;
  await q.close();
  assert.equal(p.history?.kind, 'table');
  assert.ok(p.history.kind === 'table' && p.history.rows === 90 && /^\d+$/.test(p.history.hash));
  const r = await sql(QUERY, { sources: [tv], duckdb: db, replay: p });
  assert.deepEqual(shape(await r.collect()), shape(rows));
  await r.close();
  await c.run('UPDATE hist SET v = v + 1 WHERE v = 7');
  await assert.rejects(sql(QUERY, { sources: [tv], duckdb: db, replay: p }), /the history table hist of source ev changed since the run was recorded \(recorded 90 rows, hash \d+, now 90 rows, hash \d+\)/);
  c.closeSync();
  db.closeSync();
});
