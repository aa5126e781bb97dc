/** The engine's DuckDB tables: buffered events of open windows, dead letters, late events, touched windows, open sessions. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident } from './duck.js';
import type { Column } from './recordSql.js';

export const T = {
  events: 'wp_events',
  batch: 'wp_batch',
  touched: 'wp_touched',
  sessions: 'wp_sessions',
  stage: 'wp_stage',
  dead: 'wp_dead_letters',
  late: 'wp_late_events',
} as const;

export async function createTables(conn: DuckDBConnection, columns: readonly Column[]): Promise<void> {
  const cols = columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${T.events} (${cols})`);
  // one row per (event, window) it arrived too late for; sessions record the event's own [t, t + gap)
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${T.late} (${cols}, window_start TIMESTAMP, window_end TIMESTAMP)`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${T.touched} (we BIGINT)`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${T.dead} (partition INTEGER, "offset" BIGINT, timestamp TIMESTAMP, key VARCHAR, value VARCHAR, reason VARCHAR)`);
}
