import { DuckDBInstance } from '@duckdb/node-api';
import { typedRecordsSql } from '../../src/engine/exec/recordSql.js';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const n = Number(process.argv[2] ?? 200000);
await c.run(`CREATE TEMP TABLE st AS SELECT (i % 2)::INTEGER AS _partition, i::BIGINT AS _offset, (1700000000000 + i*10)::BIGINT AS _timestamp_ms, NULL::BLOB AS _key, NULL::VARCHAR AS _headers,
  encode(json_object('ts', strftime(make_timestamp((1700000000000 + i*10)*1000), '%Y-%m-%dT%H:%M:%S.%gZ'), 'sensor', i % 100, 'value', (i*31 % 10007)/100, 'note', 'reading ' || i)::VARCHAR) AS _value FROM range(${n}) t(i)`);
console.log((await c.runAndReadAll('SELECT decode(_value) FROM st LIMIT 1')).getRows());
const live = { topic: 't', format: 'json' } as any;
const cols = [{ name: 'ts', type: 'TIMESTAMP' }, { name: 'sensor', type: 'INTEGER' }, { name: 'value', type: 'DOUBLE' }, { name: 'note', type: 'VARCHAR' }];
const sqlText = typedRecordsSql(live, cols, 'ts', 'st');
for (const threads of [] as number[]) {
  await c.run(`SET threads = ${threads}`);
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    await c.run(`CREATE OR REPLACE TEMP TABLE b AS ${sqlText}`);
    console.log(`threads ${threads}: ${(performance.now() - t).toFixed(0)} ms`);
  }
}
await c.run(`CREATE OR REPLACE TEMP TABLE st2 AS SELECT * EXCLUDE (_value), decode(_value) AS _value FROM st`);
const variants: Record<string, string> = {
  typedT: `SELECT json_transform(_value, '{"ts":"VARCHAR","sensor":"INTEGER","value":"DOUBLE","note":"VARCHAR"}') FROM st2`,
  tryTypedT: `SELECT TRY(json_transform(_value, '{"ts":"VARCHAR","sensor":"INTEGER","value":"DOUBLE","note":"VARCHAR"}')) FROM st2`,
  varcharT: `SELECT json_transform(_value, '{"ts":"VARCHAR","sensor":"VARCHAR","value":"VARCHAR","note":"VARCHAR"}') FROM st2`,
  extract: `SELECT json_extract_string(_value, ['ts','sensor','value','note']) FROM st2`,
  tryVarcharT: `SELECT TRY(json_transform(_value, '{"ts":"VARCHAR","sensor":"VARCHAR","value":"VARCHAR","note":"VARCHAR"}')) FROM st2`,
  validOnly: `SELECT json_valid(_value) FROM st2`,
  castsOnly: `SELECT TRY_CAST(f.sensor AS INTEGER), TRY_CAST(f.value AS DOUBLE), TRY_CAST(f.ts AS TIMESTAMPTZ) FROM (SELECT json_transform(_value, '{"ts":"VARCHAR","sensor":"VARCHAR","value":"VARCHAR","note":"VARCHAR"}') AS f FROM st2)`,

  decodeOnly: `SELECT TRY(decode(_value)) FROM st`,
  jsonT: `SELECT json_transform(decode(_value), '{"ts":"VARCHAR","sensor":"VARCHAR","value":"VARCHAR","note":"VARCHAR"}') FROM st`,
  jsonValid: `SELECT json_valid(decode(_value)) AND json_type(decode(_value))='OBJECT' FROM st`,
  regexp: `SELECT regexp_full_match(decode(_value), '-?[0-9]+(\\.[0-9]*)?') FROM st`,
  tsCast: `SELECT TRY_CAST(json_extract_string(decode(_value), '$.ts') AS TIMESTAMPTZ) FROM st`,
};
await c.run(`SET threads = 1`);
for (const [k, v] of Object.entries(variants)) {
  const t = performance.now();
  await c.run(`CREATE OR REPLACE TEMP TABLE x AS ${v}`);
  console.log(`${k}: ${(performance.now() - t).toFixed(0)} ms`);
}
