/** A declared schema types the history files too: an empty CSV is not text, a missing column is NULL, a bad value names its column. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryError, source, sql } from '../../../../src/index.js';

function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-history-schema-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const QUERY = `SELECT window_start, sum(v) AS s, count(w) AS nw FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`;
const SCHEMA = { ts: 'TIMESTAMP', v: 'BIGINT', w: 'DOUBLE' };

test('a header-only CSV history with a declared schema runs (it used to fail on sum(VARCHAR))', async () => {
  await withDir(async (dir) => {
    writeFileSync(join(dir, 'empty.csv'), 'ts,v\n');
    const ev = source({ name: 'ev', time: 'ts', history: { csv: join(dir, 'empty.csv') }, schema: SCHEMA });
    const q = await sql(QUERY, { sources: { ev } });
    assert.deepEqual(await q.collect(), []);
    await q.close();
  });
});

test('history columns are cast to the declared types; a declared column the files lack is NULL', async () => {
  await withDir(async (dir) => {
    writeFileSync(join(dir, 'h.csv'), 'ts,v\n2024-01-01 00:00:10,3\n2024-01-01 00:00:20,4\n2024-01-01 00:01:00,5\n');
    const ev = source({ name: 'ev', time: 'ts', history: { csv: join(dir, 'h.csv') }, schema: { ...SCHEMA, v: 'DOUBLE' } });
    const q = await sql(QUERY, { sources: { ev } });
    const rows = await q.collect();
    assert.deepEqual(rows.map((r) => [new Date(r.windowStart).toISOString(), r.values.s, r.values.nw]), [['2024-01-01T00:00:00.000Z', 7, 0], ['2024-01-01T00:01:00.000Z', 5, 0]]);
    assert.equal(typeof rows[0]!.values.s, 'number');
    assert.match(q.explain(), /CAST\("v" AS DOUBLE\)/);
    await q.close();
  });
});

test('a history value that does not convert to its declared type is a QueryError naming the column', async () => {
  await withDir(async (dir) => {
    writeFileSync(join(dir, 'bad.csv'), 'ts,v\n2024-01-01 00:00:10,3\n2024-01-01 00:00:20,oops\n');
    const ev = source({ name: 'ev', time: 'ts', history: { csv: join(dir, 'bad.csv') }, schema: SCHEMA });
    const q = await sql(QUERY, { sources: { ev } });
    const e = await q.done.then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof QueryError, String(e));
    assert.equal(e.code, 'query-failed');
    assert.match(e.message, /Could not convert string 'oops' to INT64 when casting from source column v/);
    assert.match(e.message, /read the column as VARCHAR and convert it with TRY_CAST/);
    await q.close();
  });
});
