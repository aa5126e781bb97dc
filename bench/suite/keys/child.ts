/**
 * One measurement of the high-cardinality case, in a process of its own so its peak RSS is its
 * own: Windowpane's sql() → collect() over a Parquet history, or the same GROUP BY run directly
 * in DuckDB. Both in an instance with the same settings; DuckDB's own memory is sampled every 50 ms
 * from a second connection. Prints one JSON line: { ms, rows, peakRssMB, peakDuckMB, spilledMB }.
 *   node --import tsx bench/suite/keys/child.ts ours|duckdb <parquet file> <memory limit|-> <temp dir>
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { source, sql } from '../../../src/index.js';

const [mode, file, limit, tempDir] = process.argv.slice(2) as [string, string, string, string];

const OURS_SQL = `SELECT window_start, k, count(*) AS n, sum(v) AS sv, max(v) AS mv FROM TUMBLE(events, ts, '1 hour') GROUP BY ALL`;
const directSql = (parquet: string): string =>
  `SELECT time_bucket(INTERVAL '1 hour', ts) AS window_start, k, count(*) AS n, sum(v) AS sv, max(v) AS mv FROM read_parquet('${parquet}') GROUP BY ALL`;

async function sampleDuck(conn: DuckDBConnection, peak: { mem: number; temp: number }): Promise<void> {
  const r = await conn.runAndReadAll('SELECT sum(memory_usage_bytes), sum(temporary_storage_bytes) FROM duckdb_memory()');
  const [m, t] = r.getRows()[0] ?? [];
  peak.mem = Math.max(peak.mem, Number(m ?? 0));
  peak.temp = Math.max(peak.temp, Number(t ?? 0));
}

const db = await DuckDBInstance.create(':memory:');
const probe = await db.connect();
// the same instance settings for both: the spill folder, the limit when given, unordered scans
await probe.run(`SET temp_directory = '${tempDir}'`);
await probe.run('SET preserve_insertion_order = false');
if (limit !== '-') await probe.run(`SET memory_limit = '${limit}'`);
const peak = { mem: 0, temp: 0 };
let sampling = Promise.resolve();
const timer = setInterval(() => {
  sampling = sampling.then(() => sampleDuck(probe, peak)).catch(() => undefined);
}, 50);

let rows = 0;
const t0 = performance.now();
if (mode === 'ours') {
  const events = source({ name: 'events', time: 'ts', history: { parquet: file } });
  const q = await sql(OURS_SQL, { sources: { events }, duckdb: db, ...(limit !== '-' ? { memoryLimit: limit } : {}), tempDirectory: tempDir });
  rows = (await q.collect()).length;
  await q.close();
} else {
  const conn = await db.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  rows = (await conn.runAndReadAll(directSql(file))).getRows().length;
  conn.closeSync();
}
const ms = performance.now() - t0;
clearInterval(timer);
await sampling;
probe.closeSync();
db.closeSync();
const mb = (b: number): number => b / 2 ** 20;
console.log(JSON.stringify({ ms, rows, peakRssMB: process.resourceUsage().maxRSS / 1024, peakDuckMB: mb(peak.mem), spilledMB: mb(peak.temp) }));
