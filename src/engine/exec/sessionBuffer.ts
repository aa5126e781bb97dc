/**
 * The session engine's event buffer upkeep: events leave it once their session is past end +
 * lateness. A session ends gap after its last event, so a session that became releasable since the
 * last upkeep has a last event t with t + gap + lateness in (previous watermark, watermark]. Only the
 * keys with such an event are sessionized again (a filter on the buffered times finds them); the
 * other keys' events stay as they are. Without plain key columns (no PARTITION BY, or keys the window
 * input derives) the whole buffer is sessionized again.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SessionWindow } from '../plan/window.js';
import { afterWatermark } from './engineBase.js';
import { ident } from './duck.js';
import { T } from './tables.js';
import { eventMicros, US_PER_MS, windowedSql } from './windowSql.js';

const RELEASE_KEYS = 'wp_release_keys';
const KEPT = 'wp_events_kept';

export class SessionBuffer {
  /** The watermark of the last upkeep. */
  private doneAt = Number.NEGATIVE_INFINITY;
  private readonly columnList: string;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly w: SessionWindow,
    columns: readonly string[],
    private readonly latenessUs: number,
    /** Whether the partition keys are columns of the buffered events (the window input is the plain scan). */
    private readonly keysAreColumns: boolean,
  ) {
    this.columnList = columns.map(ident).join(', ');
  }

  private keep(wm: number): string {
    return afterWatermark(`epoch_us(window_end) + ${this.latenessUs}`, wm);
  }

  /** Rebuilds the buffer from `rel`, keeping the events of sessions not past end + lateness at `wm`. */
  async retainAll(rel: string, wm: number): Promise<void> {
    const sessions = windowedSql(this.w, `SELECT ${this.columnList} FROM ${rel} WHERE ${ident(this.w.timeColumn)} IS NOT NULL`);
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${KEPT} AS SELECT ${this.columnList} FROM (${sessions}) WHERE ${this.keep(wm)}`);
    if (rel === T.events) await this.conn.run(`DELETE FROM ${T.events}`);
    await this.conn.run(`INSERT INTO ${T.events} SELECT * FROM ${KEPT}`);
    await this.conn.run(`DROP TABLE ${KEPT}`);
    this.doneAt = wm;
  }

  /**
   * Drops the events of sessions that became releasable since the last upkeep. `changed`: whether
   * the engine released or closed a session now (the whole-buffer fallback runs only then).
   * Returns whether the buffer changed.
   */
  async release(wm: number, changed: boolean): Promise<boolean> {
    if (!this.keysAreColumns || this.w.partitionBy.length === 0) {
      if (changed) await this.retainAll(T.events, wm);
      return changed;
    }
    if (!(wm > this.doneAt)) return false;
    const prev = this.doneAt;
    this.doneAt = wm;
    const keys = this.w.partitionBy.map(ident);
    const endsAt = `${eventMicros(this.w)} + ${this.w.gapMs * US_PER_MS + this.latenessUs}`;
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${RELEASE_KEYS} AS SELECT DISTINCT ${keys.join(', ')} FROM ${T.events} WHERE NOT (${afterWatermark(endsAt, wm)}) AND ${afterWatermark(endsAt, prev)}`);
    const n = await this.conn.runAndReadAll(`SELECT count(*) FROM ${RELEASE_KEYS}`);
    if (Number(n.getRows()[0]?.[0] ?? 0) === 0) return false;
    const ofKeys = `EXISTS (SELECT 1 FROM ${RELEASE_KEYS} r WHERE ${keys.map((k) => `r.${k} IS NOT DISTINCT FROM ${T.events}.${k}`).join(' AND ')})`;
    const sessions = windowedSql(this.w, `SELECT ${this.columnList} FROM ${T.events} WHERE ${ofKeys}`);
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${KEPT} AS SELECT ${this.columnList} FROM (${sessions}) WHERE ${this.keep(wm)}`);
    await this.conn.run(`DELETE FROM ${T.events} WHERE ${ofKeys}`);
    await this.conn.run(`INSERT INTO ${T.events} SELECT * FROM ${KEPT}`);
    await this.conn.run(`DROP TABLE ${KEPT}`);
    return true;
  }
}
