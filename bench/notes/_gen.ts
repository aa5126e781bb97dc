import { DuckDBInstance } from '@duckdb/node-api';
const [file, nArg, keysArg] = process.argv.slice(2);
const n = Number(nArg), keys = Number(keysArg);
const BASE_US = Date.UTC(2026, 0, 1) * 1000; const SPAN_US = 2 * 3600 * 1_000_000;
const duck = await DuckDBInstance.create(':memory:'); const conn = await duck.connect();
await conn.run(`COPY (SELECT make_timestamp(${BASE_US} + ((i * 7207) % ${n}) * ${Math.floor(SPAN_US / n)}) AS ts, 'key-' || ((i * 7919) % ${keys}) AS k, (i * 31) % 1000 AS v FROM range(${n}) t(i)) TO '${file}' (FORMAT parquet)`);
