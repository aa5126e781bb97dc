/** Query errors from DuckDB come back about the user's SQL, with a caret and a suggestion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { isWindowpaneError, source, sql } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';

test('an unknown column names the column, points at it and suggests the right one', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'windowpane-errors-')), 'f.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT TIMESTAMP '2024-01-01' AS ts, 'AA' AS carrier, 1 AS vv) TO '${path}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
  const flights = source({ name: 'flights', time: 'ts', history: { parquet: path } });
  const text = `SELECT window_start,\n       sum(v) AS total\n  FROM TUMBLE(flights, ts, '1 hour')\n GROUP BY ALL`;
  await assert.rejects(sql(text, { sources: { flights } }), (e: unknown) => {
    assert.ok(isWindowpaneError(e));
    assert.equal(e.code, 'sql-invalid');
    const shown = `SELECT window_start,\n       sum(v) AS total\n           ^\n  FROM TUMBLE(flights, ts, '1 hour')\n GROUP BY ALL`;
    assert.equal(e.message, messages.sqlInvalid('Binder Error: Referenced column "v" not found in FROM clause!', shown, 'did you mean "vv"?'));
    return true;
  });
  const noWindowStart = `SELECT count(*) AS n FROM TUMBLE(flights, ts, '1 hour')`;
  await assert.rejects(sql(noWindowStart, { sources: { flights } }), (e: unknown) => isWindowpaneError(e) && e.message === messages.noWindowStartOutput(noWindowStart));
});

test('a DuckDB failure while the query runs (a value that does not convert) is a QueryError with a hint, not a raw DuckDB error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-errors-'));
  const path = join(dir, 'f.csv');
  writeFileSync(path, 'ts,code\n2024-01-01 00:00:00,7\n2024-01-01 00:10:00,abc\n');
  const readings = source({ name: 'readings', time: 'ts', history: { csv: path } });
  const q = await sql(`SELECT window_start, sum(CAST(code AS INTEGER)) AS total FROM TUMBLE(readings, ts, '1 hour') GROUP BY ALL`, { sources: { readings } });
  await assert.rejects(q.collect(), (e: unknown) => {
    assert.ok(isWindowpaneError(e), `a WindowpaneError, not ${String(e)}`);
    assert.equal(e.code, 'query-failed');
    assert.match(e.message, /^the query failed while running in DuckDB: Conversion Error: Could not convert string 'abc' to INT32/);
    assert.match(e.message, /TRY_CAST\(x AS type\)/);
    return true;
  });
  await q.close();
  // the hint works: TRY_CAST skips the value that does not convert
  const fixed = await sql(`SELECT window_start, sum(TRY_CAST(code AS INTEGER)) AS total FROM TUMBLE(readings, ts, '1 hour') GROUP BY ALL`, { sources: { readings } });
  assert.deepEqual((await fixed.collect()).map((r) => Number(r.values.total)), [7]);
  await fixed.close();
});
