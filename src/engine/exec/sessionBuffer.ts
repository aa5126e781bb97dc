/**
 * The session engine's event buffer rebuilt from scratch: the events of a relation are sessionized
 * and those of sessions not past end + lateness kept. The history step ends with it; a live step
 * uses it only when the buffer's partition keys are not its columns (keys the window input derives,
 * or a filter under the window), where a released session's events cannot be found by key and time
 * range (sessionState.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SessionWindow } from '../plan/window.js';
import { afterWatermark } from './engineBase.js';
import { ident } from './duck.js';
import { T } from './tables.js';
import { windowedSql } from './windowSql.js';

const KEPT = 'wp_events_kept';

/** Rebuilds the buffer from `rel`, keeping the events of sessions not past end + lateness at `wm`. */
export async function retainSessions(conn: DuckDBConnection, w: SessionWindow, columns: readonly string[], latenessUs: number, rel: string, wm: number): Promise<void> {
  const list = columns.map(ident).join(', ');
  const sessions = windowedSql(w, `SELECT ${list} FROM ${rel} WHERE ${ident(w.timeColumn)} IS NOT NULL`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${KEPT} AS SELECT ${list} FROM (${sessions}) WHERE ${afterWatermark(`epoch_us(window_end) + ${latenessUs}`, wm)}`);
  if (rel === T.events) await conn.run(`DELETE FROM ${T.events}`);
  await conn.run(`INSERT INTO ${T.events} SELECT * FROM ${KEPT}`);
  await conn.run(`DROP TABLE ${KEPT}`);
}
