/**
 * The history phase vs DuckDB itself, over vega-datasets' flights-3m.parquet (3M rows): a daily
 * count and mean delay per origin airport. Baselines from the same run: the equivalent
 * time_bucket GROUP BY in DuckDB, and the engine's own generated SQL run directly (pure SQL cost).
 *   node --import tsx bench/engine-history.ts [repeats]
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { source, sql } from '../src/index.js';
import { fmt, printTable, summarize } from './stats.js';

const repeats = Number(process.argv[2] ?? 3);
const path = 'node_modules/vega-datasets/data/flights-3m.parquet';
const query = `SELECT window_start, origin, count(*) AS n, avg(delay) AS avg_delay FROM TUMBLE(flights, date, '1 day') GROUP BY ALL`;
const direct = `SELECT time_bucket(INTERVAL '1 day', date) AS window_start, origin, count(*) AS n, avg(delay) AS avg_delay FROM read_parquet('${path}') GROUP BY ALL`;

const ours: number[] = [];
const generated: number[] = [];
const baseline: number[] = [];
let rows = 0;
let generatedSql = '';
for (let i = 0; i < repeats; i++) {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  let t = performance.now();
  rows = (await c.runAndReadAll(direct)).currentRowCount;
  baseline.push(performance.now() - t);

  const flights = source({ name: 'flights', time: 'date', history: { parquet: path } });
  t = performance.now();
  const q = await sql(query, { sources: { flights } });
  const result = await q.collect();
  ours.push(performance.now() - t);
  if (result.length !== rows) throw new Error(`row counts differ: ${result.length} vs ${rows}`);
  generatedSql = /history SQL:\n {2}(.*)\n/.exec(q.explain())?.[1] ?? '';
  await q.close();

  t = performance.now();
  await c.runAndReadAll(generatedSql.replace(/wp_events/g, `read_parquet('${path}')`));
  generated.push(performance.now() - t);
  c.closeSync();
  db.closeSync();
}
const b = summarize(baseline);
printTable(`history query over 3M rows → ${rows} windows×origins (ms, lower is better)`, [
  { case: 'DuckDB time_bucket GROUP BY (baseline)', ours: '', baseline: fmt(b, 'ms') },
  { case: "engine's generated SQL run directly", ours: fmt(summarize(generated), 'ms'), baseline: fmt(b, 'ms'), ratio: summarize(generated).median / b.median },
  { case: 'windowpane sql() → collect() (incl. validation, rows to JS)', ours: fmt(summarize(ours), 'ms'), baseline: fmt(b, 'ms'), ratio: summarize(ours).median / b.median },
]);
