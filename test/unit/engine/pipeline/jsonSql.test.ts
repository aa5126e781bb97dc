/**
 * The Kafka messages DuckDB renders for a pipeline (jsonSql.ts) against the records path (a record
 * per row, JSON.stringify) on a table of awkward values: the same text, key and event time, row by
 * row, for every type DuckDB renders; the types it leaves to the records path are left there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Column } from '../../../../src/engine/exec/recordSql.js';
import { streamOutput } from '../../../../src/engine/pipeline/batch.js';
import { renders } from '../../../../src/engine/pipeline/jsonSql.js';
import { messagesFromRecords, messagesOf, type MessageWant, type OutputBatch, type OutputWant } from '../../../../src/engine/pipeline/output.js';
import type { MessageColumns } from '../../../../src/engine/sink/types.js';

/** Each column's values, the same count per column (NULL last in most). */
const AWKWARD: Readonly<Record<string, readonly [type: string, values: readonly string[]]>> = {
  's': ['VARCHAR', [`'plain'`, `'quote " and \\ backslash / slash'`, `'line' || chr(10) || 'tab' || chr(9) || 'cr' || chr(13) || chr(8) || chr(12)`, `'ctl' || chr(1) || chr(31) || chr(11)`, `'é ✓ 😀 ' || chr(8232) || chr(127)`, `''`, `'\\u0041 is not an escape'`, 'NULL']],
  'i': ['INTEGER', ['0', '-2147483648', '2147483647', '-1', '42', '7', '1', 'NULL']],
  'big': ['BIGINT', ['9007199254740991', '9007199254740992', '-9007199254740991', '-9007199254740992', '9223372036854775807', '-9223372036854775808', '0', 'NULL']],
  'huge': ['HUGEINT', ['170141183460469231731687303715884105727', '-1', '12345678901234567890123', '9007199254740993', '0', '1', '2', 'NULL']],
  'u': ['UBIGINT', ['18446744073709551615', '0', '9007199254740991', '9007199254740992', '1', '2', '3', 'NULL']],
  'b': ['BOOLEAN', ['true', 'false', 'true', 'false', 'true', 'false', 'true', 'NULL']],
  'd': ['DOUBLE', ['0', `'-0.0'::DOUBLE`, '1', '1e21', '1.5e-7', `0.1 + 0.2`, `'nan'::DOUBLE`, 'NULL']],
  'd2': ['DOUBLE', [`'inf'::DOUBLE`, `'-inf'::DOUBLE`, '5e-324', '1.7976931348623157e308', '1e20', '123456789012345680000', '-1234.5678', '0.000001']],
  'f': ['FLOAT', ['0.1', '3.4e38', `'nan'::FLOAT`, '-0.0', '16777217', '1e-7', '2.5', 'NULL']],
  'dec': ['DECIMAL(18,3)', ['1.100', '-0.001', '999999999999999.999', '0', '-12.5', '100', '0.3', 'NULL']],
  'wide': ['DECIMAL(38,10)', ['1234567890123456789012345678.0123456789', '-0.0000000001', '1', '0.1', '2', '3', '4', 'NULL']],
  'ts': ['TIMESTAMP', [`TIMESTAMP '2024-01-01 00:00:00.123456'`, `TIMESTAMP '1969-12-31 23:59:59.9995'`, `TIMESTAMP '1960-02-29 12:00:00.0015'`, `TIMESTAMP '1970-01-01'`, `TIMESTAMP '2262-04-11 23:47:16'`, `TIMESTAMP '0001-01-01'`, `TIMESTAMP '9999-12-31 23:59:59.999999'`, 'NULL']],
  'tz': ['TIMESTAMP WITH TIME ZONE', [`TIMESTAMPTZ '2024-01-01 00:00:00.5+02'`, 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL']],
  'ns': ['TIMESTAMP_NS', [`'1969-12-31 23:59:59.9999995'::TIMESTAMP_NS`, `'2024-01-01 00:00:00.000000001'::TIMESTAMP_NS`, 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL']],
  'sec': ['TIMESTAMP_S', [`'1969-12-31 23:59:59'::TIMESTAMP_S`, 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL']],
  'ms': ['TIMESTAMP_MS', [`'1969-12-31 23:59:59.999'::TIMESTAMP_MS`, 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL']],
  'day': ['DATE', [`DATE '1960-01-01'`, `DATE '2024-02-29'`, 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL']],
  'id': ['UUID', [`'4ac7a9e9-607c-4c8a-84f3-843f0191e3fd'`, 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL']],
  'name with "quotes" and é': ['VARCHAR', [`'x'`, `'y'`, 'NULL', 'NULL', 'NULL', 'NULL', 'NULL', 'NULL']],
};
const ROWS = 8;

async function table(conn: DuckDBConnection): Promise<Column[]> {
  const columns = Object.entries(AWKWARD).map(([name, [type]]) => ({ name, type }));
  const rows = Array.from({ length: ROWS }, (_, i) => `(${Object.values(AWKWARD).map(([type, values]) => `CAST(${values[i]} AS ${type})`).join(', ')})`);
  await conn.run(`CREATE TABLE awkward AS SELECT * FROM (VALUES ${rows.join(', ')}) AS v(${columns.map((c) => `"${c.name.replace(/"/g, '""')}"`).join(', ')})`);
  return columns;
}

/** A fresh in-memory DuckDB (UTC) for one test. */
async function withDuck(fn: (conn: DuckDBConnection) => Promise<void>): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    await fn(conn);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** The batches streamOutput publishes for these consumers. */
async function run(conn: DuckDBConnection, columns: readonly Column[], sql: string, wants: readonly OutputWant[]): Promise<OutputBatch[]> {
  const out: OutputBatch[] = [];
  await streamOutput(conn, sql, { columns, time: 'ts', wants: () => wants, emit: (b) => Promise.resolve(void out.push(b)) }, 'history');
  return out;
}

const flat = (batches: readonly MessageColumns[]) => ({
  keys: batches.flatMap((b) => b.keys),
  values: batches.flatMap((b) => b.values),
  times: batches.flatMap((b) => b.timestampsMs ?? []),
});

test('DuckDB renders the records path\'s JSON, keys and event times byte for byte on awkward values', () => withDuck(async (conn) => {
  const columns = await table(conn);
  for (const key of [undefined, 's', 'big', 'huge', 'b', 'ts', 'day', 'id']) {
    const want: MessageWant = { kind: 'messages', key, time: 'ts' };
    assert.ok(renders(columns, key), `DuckDB renders key ${String(key)}`);
    const fast = await run(conn, columns, 'SELECT * FROM awkward', [want]);
    assert.ok(fast.every((b) => b.records === undefined && b.messages.size === 1), 'no records built for a Kafka sink alone');
    const [slow] = await run(conn, columns, 'SELECT * FROM awkward', [{ kind: 'records' }]);
    const expected = messagesFromRecords(slow!.records!, key, 'ts');
    const got = flat(fast.map((b) => messagesOf(b, want)));
    assert.deepEqual(got, flat([expected]), `key ${String(key)}`);
  }
  // what the records path writes, spelled out for a few rows
  const some = columns.filter((c) => ['s', 'big', 'd', 'd2', 'ts', 'day'].includes(c.name));
  const [batch] = await run(conn, some, 'SELECT s, big, d, d2, ts, day FROM awkward', [{ kind: 'messages', key: undefined, time: undefined }]);
  const values = batch!.messages.values().next().value!.values;
  assert.equal(values[0], '{"s":"plain","big":9007199254740991,"d":0,"d2":null,"ts":1704067200123,"day":-315619200000}');
  assert.equal(values[1], '{"s":"quote \\" and \\\\ backslash / slash","big":"9007199254740992","d":0,"d2":null,"ts":0,"day":1709164800000}');
  assert.equal(values[3], '{"s":"ctl\\u0001\\u001f\\u000b","big":"-9007199254740992","d":1e+21,"d2":1.7976931348623157e+308,"ts":0,"day":null}');
  assert.equal(values[6], '{"s":"\\\\u0041 is not an escape","big":0,"d":null,"d2":-1234.5678,"ts":253402300799999,"day":null}');
}));

test('a leading byte order mark: the records path loses it (the client decodes text with a BOM-eating TextDecoder), DuckDB\'s JSON keeps it', () => withDuck(async (conn) => {
  const columns = [{ name: 's', type: 'VARCHAR' }];
  const sql = `SELECT chr(65279) || 'text' AS s`;
  const [fast] = await run(conn, columns, sql, [{ kind: 'messages', key: undefined, time: undefined }]);
  const [slow] = await run(conn, columns, sql, [{ kind: 'records' }]);
  assert.equal(fast!.messages.values().next().value!.values[0], '{"s":"\ufefftext"}');
  assert.deepEqual(slow!.records, [{ s: 'text' }]);
}));

test('types, keys and names DuckDB does not render go the records path, with the same messages', () => withDuck(async (conn) => {
  const sql = `SELECT {'a': 1, 't': TIMESTAMP '2024-01-01'} AS nested, [1, 2]::BIGINT[] AS list, INTERVAL 1 day AS span, 2.5::DOUBLE AS x, 'k' AS "1"`;
  const nested = [{ name: 'nested', type: 'STRUCT(a INTEGER, t TIMESTAMP)' }, { name: 'list', type: 'BIGINT[]' }, { name: 'span', type: 'INTERVAL' }];
  assert.equal(renders(nested, undefined), false);
  const plain = [{ name: 'x', type: 'DOUBLE' }];
  assert.ok(renders(plain, undefined));
  assert.equal(renders(plain, 'x'), false, 'a DOUBLE key is left to String()');
  assert.equal(renders([...plain, { name: '1', type: 'VARCHAR' }], undefined), false, 'JavaScript puts key "1" first');
  const columns = [...nested, ...plain, { name: '1', type: 'VARCHAR' }];
  const want: MessageWant = { kind: 'messages', key: 'x', time: undefined };
  const [batch] = await run(conn, columns, sql, [want]);
  assert.equal(batch!.messages.size, 0);
  assert.deepEqual(messagesOf(batch!, want), { length: 1, keys: ['2.5'], values: ['{"1":"k","nested":"{\\"a\\":1,\\"t\\":\\"2024-01-01T00:00:00.000Z\\"}","list":"[\\"1\\",\\"2\\"]","span":"{\\"months\\":0,\\"days\\":1,\\"micros\\":\\"0\\"}","x":2.5}'], timestampsMs: undefined });
}));

test('a time outside JavaScript\'s dates fails both paths alike', () => withDuck(async (conn) => {
  const columns = [{ name: 'ts', type: 'TIMESTAMP' }];
  for (const ts of [`'infinity'::TIMESTAMP`, `TIMESTAMP '294000-01-01'`]) {
    const sql = `SELECT ${ts} AS ts`;
    const slow = await run(conn, columns, sql, [{ kind: 'records' }]).then(() => 'ok', (e: Error) => e.message);
    const fast = await run(conn, columns, sql, [{ kind: 'messages', key: undefined, time: undefined }]).then(() => 'ok', (e: Error) => e.message);
    assert.match(slow, /out of range for JS Date/);
    assert.equal(fast, slow);
  }
}));
