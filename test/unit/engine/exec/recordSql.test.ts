import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { typedRecordsSql } from '../../../../src/engine/exec/recordSql.js';
import type { LiveSpec } from '../../../../src/engine/source/types.js';

const JSON_LIVE = { topic: 't', format: 'json' } as unknown as LiveSpec;
const COLUMNS = [{ name: 'ts', type: 'TIMESTAMP' }, { name: 'k', type: 'VARCHAR' }, { name: 'when', type: 'TIMESTAMPTZ' }];

/** Types raw JSON values through the staging SQL; returns [ts as ISO text or null, reason] per value. */
async function typed(values: readonly string[], time = 'ts'): Promise<[string | null, string | null][]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`SET TimeZone = 'UTC'`);
    await c.run('CREATE TABLE stage (_partition INTEGER, _offset BIGINT, _timestamp_ms BIGINT, _key BLOB, _headers VARCHAR, _value BLOB)');
    for (const [i, v] of values.entries()) await c.run(`INSERT INTO stage VALUES (0, ${i}, 1767225600000, NULL, NULL, encode($v))`, { v });
    const r = await c.runAndReadAll(`SELECT strftime(ts, '%Y-%m-%dT%H:%M:%S.%f'), __reason FROM (${typedRecordsSql(JSON_LIVE, COLUMNS, time, 'stage')}) ORDER BY _offset`);
    return r.getRows().map(([ts, reason]) => [ts === null ? null : String(ts), reason === null ? null : String(reason)]);
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

test('event times: UTC (Z), an offset, no zone, epoch milliseconds as number or text, nanoseconds; texts that are no time are kept with a reason', async () => {
  const rows = await typed([
    '{"ts":"2026-01-01T00:00:00.123Z"}',
    '{"ts":"2026-01-01T02:00:00+02:00"}',
    '{"ts":"2026-01-01 00:00:00"}',
    '{"ts":1767225600123}',
    '{"ts":"1767225600123.5"}',
    '{"ts":"2026-01-01T00:00:00.123456789Z"}',
    '{"ts":"2026-01-01 00:00:00.5Z"}',
    '{"ts":"2026-01-01"}',
    '{"ts":"12:00:00Z"}',
    '{"ts":"2026-01-01T00:00Z"}',
    '{"ts":"Z"}',
  ]);
  assert.deepEqual(rows, [
    ['2026-01-01T00:00:00.123000', null],
    ['2026-01-01T00:00:00.000000', null],
    ['2026-01-01T00:00:00.000000', null],
    ['2026-01-01T00:00:00.123000', null],
    ['2026-01-01T00:00:00.123500', null],
    ['2026-01-01T00:00:00.123456', null],
    ['2026-01-01T00:00:00.500000', null],
    ['2026-01-01T00:00:00.000000', null],
    [null, 'column ts: expected TIMESTAMP, got 12:00:00Z'],
    [null, 'column ts: expected TIMESTAMP, got 2026-01-01T00:00Z'],
    [null, 'column ts: expected TIMESTAMP, got Z'],
  ]);
});

test('a TIMESTAMPTZ column takes the same texts; UTC strings keep their instant', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`SET TimeZone = 'UTC'`);
  await c.run('CREATE TABLE stage (_partition INTEGER, _offset BIGINT, _timestamp_ms BIGINT, _key BLOB, _headers VARCHAR, _value BLOB)');
  await c.run(`INSERT INTO stage VALUES (0, 0, 0, NULL, NULL, encode('{"ts":"2026-01-01T00:00:00Z","when":"2026-01-01T05:00:00Z"}')), (0, 1, 0, NULL, NULL, encode('{"ts":"2026-01-01T00:00:00Z","when":"2026-01-01T07:00:00+02:00"}'))`);
  const r = await c.runAndReadAll(`SELECT epoch_ms("when"), __reason FROM (${typedRecordsSql(JSON_LIVE, COLUMNS, 'ts', 'stage')}) ORDER BY _offset`);
  assert.deepEqual(r.getRows().map(([ms, reason]) => [Number(ms), reason]), [[Date.UTC(2026, 0, 1, 5), null], [Date.UTC(2026, 0, 1, 5), null]]);
  c.closeSync();
  db.closeSync();
});

test('values that are no JSON object are dead letters with the reason, also when the event time is the record timestamp', async () => {
  const values = ['[1,2]', '5', '"text"', 'null', '{}', '{"ts":', '{"ts":"2026-01-01T00:00:00Z","k":[1]}'];
  assert.deepEqual((await typed(values)).map(([, reason]) => reason), [
    'not a JSON object', 'not a JSON object', 'not a JSON object', 'not a JSON object', 'missing event time "ts"', 'malformed JSON', null,
  ]);
  assert.deepEqual((await typed(values, '_timestamp')).map(([, reason]) => reason), [
    'not a JSON object', 'not a JSON object', 'not a JSON object', 'not a JSON object', null, 'malformed JSON', null,
  ]);
});

test('a STRUCT column is typed by the parse itself, by the same rules as casting its JSON text', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`SET TimeZone = 'UTC'`);
  await c.run('CREATE TABLE stage (_partition INTEGER, _offset BIGINT, _timestamp_ms BIGINT, _key BLOB, _headers VARCHAR, _value BLOB)');
  const values = [
    '{"b":{"x":1,"t":"2026-01-01 00:00:01"}}',
    '{"b":{"x":"7","extra":true}}',
    '{"b":{"x":"zz"}}',
    '{"b":"{\\"x\\":2}"}',
    '{"b":"hello"}',
    '{"b":5}',
    '{"b":null}',
    '{}',
    '{"b":{}}',
  ];
  for (const [i, v] of values.entries()) await c.run(`INSERT INTO stage VALUES (0, ${i}, 1767225600000, NULL, NULL, encode($v))`, { v });
  const columns = [{ name: 'b', type: 'STRUCT(x BIGINT, t TIMESTAMP)' }];
  const r = await c.runAndReadAll(`SELECT b.x, strftime(b.t, '%Y-%m-%d %H:%M:%S'), b IS NULL, __reason FROM (${typedRecordsSql(JSON_LIVE, columns, '_timestamp', 'stage')}) ORDER BY _offset`);
  assert.deepEqual(r.getRows().map(([x, t, isNull, reason]) => [x === null ? null : Number(x), t, isNull, reason]), [
    [1, '2026-01-01 00:00:01', false, null],
    [7, null, false, null],
    // a mistyped field of a struct is NULL, as when casting the object's JSON
    [null, null, false, null],
    // a JSON string is parsed as the struct's JSON text, as the general rule does
    [2, null, false, null],
    [null, null, true, 'column b: expected STRUCT(x BIGINT, t TIMESTAMP), got hello'],
    [null, null, false, null],
    [null, null, true, null],
    [null, null, true, null],
    [null, null, false, null],
  ]);
  c.closeSync();
  db.closeSync();
});
