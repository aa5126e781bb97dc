/**
 * History: Windowpane's history phase (sql() over a Parquet source, run to the end) beside the same
 * aggregation written directly for DuckDB (the ceiling), over N generated events. Both read every
 * result row into JavaScript.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { source, sql } from '../../../src/index.js';
import type { Context } from '../context.js';
import { figure, missing, type Cell, type Row, type Section } from '../report.js';

const SPAN_US = 30 * 24 * 3600 * 1_000_000; // 30 days of event time, whatever N is
const BASE_US = Date.UTC(2026, 0, 1) * 1000;

async function generate(file: string, n: number): Promise<void> {
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const step = Math.floor(SPAN_US / n);
  await conn.run(`COPY (SELECT make_timestamp(${BASE_US} + i * ${step}) AS ts, (i * 7919) % 100 AS sensor, ((i * 31) % 10007) / 100.0 AS value FROM range(${n}) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.closeSync();
  duck.closeSync();
}

const OURS_SQL = `SELECT window_start, window_end, sensor, count(*) AS n, avg(value) AS avg_value, max(value) AS max_value FROM TUMBLE(events, ts, '1 hour') GROUP BY window_start, window_end, sensor`;
const duckSql = (file: string) =>
  `SELECT time_bucket(INTERVAL '1 hour', ts) AS window_start, time_bucket(INTERVAL '1 hour', ts) + INTERVAL '1 hour' AS window_end, sensor, count(*) AS n, avg(value) AS avg_value, max(value) AS max_value FROM read_parquet('${file}') GROUP BY ALL`;

async function direct(file: string): Promise<{ ms: number; rows: number }> {
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  const t0 = performance.now();
  const result = await conn.runAndReadAll(duckSql(file));
  const rows = result.getRows().length;
  const ms = performance.now() - t0;
  conn.closeSync();
  duck.closeSync();
  return { ms, rows };
}

async function ours(file: string): Promise<{ ms: number; rows: number }> {
  const events = source({ name: 'events', time: 'ts', history: { parquet: file } });
  const t0 = performance.now();
  const q = await sql(OURS_SQL, { sources: { events } });
  const rows = (await q.collect()).length;
  const ms = performance.now() - t0;
  await q.close();
  return { ms, rows };
}

const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

export async function historyCase(ctx: Context): Promise<Section> {
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const n of ctx.scale.historyEvents) {
    const file = join(ctx.dir, `history-${n}.parquet`);
    ctx.log(`history: generating ${n.toLocaleString('en-US')} events into Parquet`);
    await generate(file, n);
    const duck: number[] = [];
    const mine: number[] = [];
    let failed: Cell | undefined;
    let groups = 0;
    for (let i = 0; i < ctx.scale.repeats; i++) {
      const d = await direct(file);
      duck.push(n / (d.ms / 1000));
      groups = d.rows;
      if (failed) continue;
      try {
        const o = await ours(file);
        if (o.rows !== d.rows) notes.push(`At ${n.toLocaleString('en-US')} events Windowpane returned ${o.rows} final rows, DuckDB ${d.rows}.`);
        mine.push(n / (o.ms / 1000));
      } catch (e) {
        failed = missing(`failed: ${errorLine(e)}`);
      }
    }
    ctx.log(`history ${n}: ours ${mine.map(Math.round).join(', ')} ev/s; duckdb ${duck.map(Math.round).join(', ')} ev/s`);
    rows.push({
      name: `${n.toLocaleString('en-US')} events → ${groups.toLocaleString('en-US')} rows`,
      cells: { Windowpane: failed ?? figure(mine, 'events/s'), 'DuckDB direct': figure(duck, 'events/s') },
    });
  }
  notes.push(
    "Query: 1-hour tumbling windows × 100 keys with count, avg and max. Data: generated once per run with DuckDB `range()` into one Parquet file (ts, sensor, value) spanning 30 days of event time. Windowpane: `sql()` with `TUMBLE(events, ts, '1 hour')` over a `{ parquet }` history source, timed from the call to `collect()` returning every final row (planning, schema inference, the history query, the watermark and the end-of-input flush included). DuckDB direct: the same aggregation with `time_bucket` over `read_parquet`, every row read. Same process, same DuckDB build and thread count.",
  );
  return { id: 'history', title: 'History: one windowed query over a Parquet file', columns: ['Windowpane', 'DuckDB direct'], rows, ratioTo: 'DuckDB direct', higherIsBetter: true, notes };
}
