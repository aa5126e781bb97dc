/**
 * State bounds on the real broker: closed windows leave the event buffer, the changelog table keeps
 * a bounded number of closed rows in unbounded runs (bounded runs still collect every final row),
 * and a 200k-key aggregation under a small memoryLimit spills and equals a plain DuckDB GROUP BY.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { ResourceError, source, sql, type ChangelogRow } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, batchAnswer, diffResults, produce, tempDir, type TestEvent } from '../events.js';

const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const at = (ms: number, g = 'a', v = 1): TestEvent => ({ partition: 0, ts: BASE + ms, g, v, x: 0.5 });

/** Reads changes until `n` final rows have arrived. */
async function finals(rows: AsyncIterable<ChangelogRow>, n: number): Promise<ChangelogRow[]> {
  const out: ChangelogRow[] = [];
  for await (const r of rows) if (r.kind === 'final' && out.push(r) >= n) break;
  return out;
}

test('closed windows leave the event buffer: only the open window stays; a flushed run holds nothing', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'state-buffer' }, async (topic) => {
    const next = [0];
    const ev = source({ name: 'ev', time: 'ts', live: { topic }, schema });
    const query = `SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`;
    const q = await sql(query, { sources: [ev], kafka });
    // 30 events over three windows, then one at minute 60 that closes them
    const events = [...Array.from({ length: 30 }, (_, i) => at(i * 60_000)), at(60 * 60_000)];
    const seen = finals(q.changes(), 3);
    await produce(kafka, topic, events, next);
    assert.deepEqual((await seen).map((r) => r.values.n), [10, 10, 10]);
    await q.stop();
    const s = q.stats();
    assert.equal(s.finalWindows, 3);
    assert.equal(s.openWindows, 1);
    assert.equal(s.bufferedEvents, 1);
    await q.close();

    const all = await sql(query, { sources: [source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema })], kafka, until: 'caughtUp' });
    assert.equal((await all.collect()).length, 4);
    assert.deepEqual([all.stats().openWindows, all.stats().bufferedEvents], [0, 0]);
    await all.close();
  });
});

test('an unbounded run keeps the last closed rows only; a bounded run over the same topic collects every final row', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'state-retain' }, async (topic) => {
    const next = [0];
    const AGGS = 'count(*) AS n, sum(v) AS sv';
    const query = `SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`;
    const ev = source({ name: 'ev', time: 'ts', live: { topic }, schema });
    const q = await sql(query, { sources: [ev], kafka, retainClosedRows: 10 });
    // 30 one-minute windows × 2 keys, an event every 10 s, then one that closes the last window
    const events = [...Array.from({ length: 180 }, (_, i) => at(i * 10_000, i % 2 ? 'a' : 'b', i)), at(30 * 60_000, 'a', 0)];
    const seen = finals(q.changes(), 60);
    await produce(kafka, topic, events, next);
    assert.equal(new Set((await seen).map((r) => r.key)).size, 60, 'every final row reaches the subscriber');
    await q.stop();
    const table = q.snapshot();
    assert.equal(table.length, 10);
    assert.deepEqual(table.map((r) => r.windowStart), [...[25, 25, 26, 26, 27, 27, 28, 28, 29, 29].map((m) => BASE + m * 60_000)]);
    await q.close();

    const bounded = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    const b = await sql(query, { sources: [bounded], kafka, until: 'caughtUp' });
    const rows = await b.collect();
    assert.equal(rows.length, 61);
    assert.equal(diffResults(rows, await batchAnswer(events, 60_000, 60_000, AGGS), ['n', 'sv']), undefined);
    await b.close();
  });
});

test('200k keys under a small memoryLimit: DuckDB spills, and the result equals a plain GROUP BY', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'state-keys' }, async (topic) => {
    // history: 1M events over 2 hours, 200k keys, as a Parquet archive whose last 500 rows are the
    // topic's first 500 records (so live resumes at offset 500 and reads the other 500)
    const dir = tempDir();
    const file = join(dir, 'history.parquet');
    // (all in the second hour, which is still open when history ends: none is late)
    const live = Array.from({ length: 1000 }, (_, i): TestEvent => ({ partition: 0, ts: BASE + 3_600_000 + i * 3_600, g: `k${(i * 7_919) % 200_000}`, v: i, x: 0 }));
    await produce(kafka, topic, live, [0]);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`CREATE TABLE topic (ts TIMESTAMP, g VARCHAR, v BIGINT, x DOUBLE, _partition INTEGER, _offset BIGINT)`);
    await c.run(`INSERT INTO topic VALUES ${live.map((e, i) => `(make_timestamp(${e.ts * 1000}), '${e.g}', ${e.v}, 0, 0, ${i})`).join(', ')}`);
    await c.run(`COPY (SELECT make_timestamp(${BASE * 1000} + (i * 7207) % 7200000000) AS ts, 'k' || ((i * 7919) % 200000) AS g, i % 1000 AS v, 0.0 AS x, NULL::INTEGER AS _partition, NULL::BIGINT AS _offset FROM range(1000000) t(i)
                      UNION ALL SELECT * FROM topic WHERE _offset < 500) TO '${file}' (FORMAT parquet)`);
    const expected = await c.runAndReadAll(`SELECT epoch_ms(time_bucket(INTERVAL '1 hour', ts)) AS ws, g, count(*) AS n, sum(v) AS sv FROM (SELECT * FROM '${file}' UNION ALL SELECT * FROM topic WHERE _offset >= 500) GROUP BY ALL`);
    const want = new Map(expected.getRows().map(([ws, g, n, sv]) => [`${Number(ws)}|${Number(ws) + 3_600_000}|${JSON.stringify([g])}`, [Number(n), Number(sv)]]));

    // the query runs in this instance so the test can read its settings and temp files
    const ev = source({ name: 'ev', time: 'ts', history: { parquet: file }, live: { topic }, schema: { ...schema, _partition: 'INTEGER', _offset: 'BIGINT' } });
    const q = await sql(`SELECT window_start, g, count(*) AS n, sum(v) AS sv FROM TUMBLE(ev, ts, '1 hour') GROUP BY ALL`, {
      sources: [ev], kafka, until: 'caughtUp', duckdb: db, memoryLimit: '64MB', tempDirectory: join(dir, 'spill'),
    });
    const rows = await q.collect();
    const setting = (await c.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRows()[0]![0];
    assert.match(String(setting), /^61\.\d MiB$/);
    // DuckDB makes its temp folder when it first spills (and removes it when the instance closes)
    assert.ok(existsSync(join(dir, 'spill')), 'DuckDB spilled to the temp folder');
    assert.equal(q.stats().events, 1_000_500 + 500);
    assert.equal(rows.length, want.size);
    assert.ok(want.size > 390_000);
    const wrong = rows.find((r) => {
      const w = want.get(r.key);
      return !w || w[0] !== r.values.n || w[1] !== r.values.sv;
    });
    assert.equal(wrong, undefined);
    await q.close();
    c.closeSync();
    db.closeSync();
  });
});

test('a memoryLimit too small for the query ends it with a ResourceError that names the limit', async () => {
  const dir = tempDir();
  const file = join(dir, 'keys.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT make_timestamp(${BASE * 1000} + i * 1000) AS ts, 'k' || ((i * 7919) % 200000) AS g, i AS v FROM range(1000000) t(i)) TO '${file}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
  const ev = source({ name: 'ev', time: 'ts', history: { parquet: file } });
  const failure = (async () => {
    const q = await sql(`SELECT window_start, g, count(*) AS n FROM TUMBLE(ev, ts, '1 hour') GROUP BY ALL`, { sources: [ev], memoryLimit: '8MB' });
    try {
      await q.collect();
    } finally {
      await q.close();
    }
  })();
  await assert.rejects(failure, (e: unknown) => {
    assert.ok(e instanceof ResourceError, String(e));
    assert.equal(e.code, 'out-of-memory');
    assert.equal(e.message, messages.outOfMemory('8MB', /^the query ran out of memory in DuckDB \((.*)\) under/.exec(e.message)?.[1] ?? ''));
    return true;
  });
});
