/**
 * The sessions of a session window's buffered events, kept between micro-batches in a DuckDB table:
 * one row per session with its partition keys, its first and last event time (µs) and whether
 * events joined it since its rows were last computed. A micro-batch merges its events into the
 * sessions of the keys it touched as intervals — a session and an event (or another session) less
 * than gap apart are one session — so the sessions stay exact without sessionizing a buffered event
 * again. The engine then recomputes only the sessions that close or changed, each from its own events
 * (a join on keys and time range, windowSql.ts), and releases a session's events by its range.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PlanNode } from '../plan/types.js';
import type { SessionWindow } from '../plan/window.js';
import { afterWatermark } from './engineBase.js';
import { ident, jsToScalar } from './duck.js';
import { renderPlan } from './render.js';
import { T } from './tables.js';
import { eventMicros, SESSION_LAST as WL, SESSION_START as WS, US_PER_MS, windowedSql } from './windowSql.js';

const DIRTY = '"__wp_dirty"';
const MERGED = 'wp_sessions_merged';
/** Deleted rows the table may hold before it is rebuilt (DuckDB frees deleted rows' blocks only then). */
const MIN_DELETED = 65_536;

/** A session read into JavaScript: its partition key (JSON of the key values) and bounds, epoch µs. */
export interface SessionRef {
  readonly partition: string;
  readonly startUs: number;
  readonly lastUs: number;
  /** Its rows are recomputed now: it closes, or it changed and is due (or about to be released). */
  readonly recompute: boolean;
  /** Past end + lateness: it and its events leave now. */
  readonly release: boolean;
}

/** What the engine decides per advance: watermarks (µs), the lags, and whether changed sessions are due. */
export interface SessionStep {
  readonly wm: number;
  readonly prev: number;
  readonly closeLagUs: number;
  readonly latenessUs: number;
  readonly takeDirty: boolean;
}

/** The key columns of the sessions table: the partition keys, or one constant column without them. */
function keyColumns(w: SessionWindow): string[] {
  return w.partitionBy.length > 0 ? w.partitionBy.map(ident) : ['"__wp_all"'];
}

function keySelect(w: SessionWindow): string {
  return w.partitionBy.length > 0 ? w.partitionBy.map(ident).join(', ') : '1 AS "__wp_all"';
}

/** SQL: rows `a` and `b` have the same partition keys (NULL matches NULL). */
function sameKeys(w: SessionWindow, a: string, b: string): string {
  return w.partitionBy.map((k) => `${a}.${ident(k)} IS NOT DISTINCT FROM ${b}.${ident(k)}`).join(' AND ') || 'true';
}

/** Creates the (empty) sessions table; the plan is checked against it before the engine starts. */
export async function createSessionTable(conn: DuckDBConnection, windowInput: PlanNode, w: SessionWindow): Promise<void> {
  const input = renderPlan(windowInput, { relation: T.events });
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${T.sessions} AS SELECT DISTINCT ${keySelect(w)}, 0::BIGINT AS ${WS}, 0::BIGINT AS ${WL}, false AS ${DIRTY} FROM (${input}) LIMIT 0`);
}

export class SessionState {
  private readonly keys: string;
  private readonly gapUs: number;
  /** Rows of the table, and rows deleted since it was last rebuilt. */
  private size = 0;
  private deleted = 0;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly w: SessionWindow,
    private readonly windowInput: PlanNode,
  ) {
    this.keys = keyColumns(w).join(', ');
    this.gapUs = w.gapMs * US_PER_MS;
  }

  /** The sessions of the buffered events, from scratch (after the history step). */
  async rebuild(): Promise<void> {
    const sessions = windowedSql(this.w, renderPlan(this.windowInput, { relation: T.events }));
    const r = await this.conn.runAndReadAll(`CREATE OR REPLACE TEMP TABLE ${T.sessions} AS SELECT DISTINCT ${keySelect(this.w)}, epoch_us(window_start) AS ${WS}, epoch_us(window_end) - ${this.gapUs} AS ${WL}, false AS ${DIRTY} FROM (${sessions})`);
    this.size = Number(r.getRows()[0]?.[0] ?? 0);
    this.deleted = 0;
  }

  /**
   * Merges the events of `relation` (accepted batch rows) into the sessions of their keys: those
   * sessions and the events, as intervals sorted by start, start a new session where the start is
   * gap or more after every earlier interval's end. Events of a key less than gap apart are in one
   * session whatever else happens: those in the same gap-wide time bucket enter as one interval, so
   * the sort sees few rows when a key has many events. `dirty`: the merged sessions need new rows.
   */
  async merge(relation: string, dirty: boolean): Promise<void> {
    const t = eventMicros(this.w);
    const bucket = `${t} - ((${t} % ${this.gapUs}) + ${this.gapUs}) % ${this.gapUs}`;
    const groups = [...this.w.partitionBy.map(ident), bucket].join(', ');
    const points = `SELECT ${keySelect(this.w)}, min(${t}) AS __wp_a, max(${t}) AS __wp_b FROM (${renderPlan(this.windowInput, { relation })}) WHERE ${ident(this.w.timeColumn)} IS NOT NULL GROUP BY ${groups}`;
    const byKey = `PARTITION BY ${this.keys} ORDER BY ${WS}`;
    const intervals = `SELECT ${this.keys}, ${WS}, ${WL}, ${DIRTY} FROM ${T.sessions} SEMI JOIN (SELECT DISTINCT ${this.keys} FROM __wp_p) AS __wp_k ON ${sameKeys(this.w, T.sessions, '__wp_k')} UNION ALL SELECT ${this.keys}, __wp_a, __wp_b, ${dirty} FROM __wp_p`;
    const flagged = `SELECT *, CASE WHEN ${WS} - max(${WL}) OVER (${byKey} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) < ${this.gapUs} THEN 0 ELSE 1 END AS __wp_new FROM __wp_iv`;
    const numbered = `SELECT *, sum(__wp_new) OVER (${byKey} ROWS UNBOUNDED PRECEDING) AS __wp_sid FROM __wp_f`;
    const made = await this.conn.runAndReadAll(
      `CREATE OR REPLACE TEMP TABLE ${MERGED} AS WITH __wp_p AS (${points}), __wp_iv AS (${intervals}), __wp_f AS (${flagged}), __wp_n AS (${numbered}) ` +
        `SELECT ${this.keys}, min(${WS}) AS ${WS}, max(${WL}) AS ${WL}, bool_or(${DIRTY}) AS ${DIRTY} FROM __wp_n GROUP BY ${this.keys}, __wp_sid`,
    );
    const n = Number(made.getRows()[0]?.[0] ?? 0);
    if (n === 0) return;
    // the merged keys' old sessions out, their new ones in (DELETE … USING: a plain join)
    const gone = await this.conn.run(`DELETE FROM ${T.sessions} USING (SELECT DISTINCT ${this.keys} FROM ${MERGED}) AS __wp_m WHERE ${sameKeys(this.w, '__wp_m', T.sessions)}`);
    await this.conn.run(`INSERT INTO ${T.sessions} SELECT * FROM ${MERGED}`);
    await this.removed(Number(gone.rowsChanged), n);
  }

  private closing(s: SessionStep): string {
    const at = `${WL} + ${this.gapUs + s.closeLagUs}`;
    return `(NOT (${afterWatermark(at, s.wm)}) AND ${afterWatermark(at, s.prev)})`;
  }

  private releasing(s: SessionStep, table = T.sessions): string {
    return `NOT (${afterWatermark(`${table}.${WL} + ${this.gapUs + s.latenessUs}`, s.wm)})`;
  }

  /** SQL: the sessions recomputed at this step (closing; changed when due or about to be released). */
  private recomputed(s: SessionStep): string {
    return `(${this.closing(s)} OR (${DIRTY} AND (${s.takeDirty} OR ${this.releasing(s)})))`;
  }

  /** The sessions this step recomputes or releases. */
  async read(s: SessionStep): Promise<SessionRef[]> {
    const r = await this.conn.runAndReadAll(`SELECT ${this.keys}, ${WS}, ${WL}, ${this.recomputed(s)}, ${this.releasing(s)} FROM ${T.sessions} WHERE ${this.recomputed(s)} OR ${this.releasing(s)}`);
    const k = this.w.partitionBy.length;
    const nKeys = Math.max(1, k);
    return r.getRowsJS().map((row) => ({
      partition: JSON.stringify(row.slice(0, k).map((v) => jsToScalar(v ?? null))),
      startUs: Number(row[nKeys]),
      lastUs: Number(row[nKeys + 1]),
      recompute: row[nKeys + 2] === true,
      release: row[nKeys + 3] === true,
    }));
  }

  /** The list of sessions recomputed at this step, for the plan's `touched` (a subquery). */
  recomputeList(s: SessionStep): string {
    return `(SELECT * FROM ${T.sessions} WHERE ${this.recomputed(s)})`;
  }

  /** The recomputed sessions' rows are current again. */
  async recomputedNow(s: SessionStep): Promise<void> {
    await this.conn.run(`UPDATE ${T.sessions} SET ${DIRTY} = false WHERE ${DIRTY} AND ${this.recomputed(s)}`);
  }

  /**
   * Drops the sessions past end + lateness and, when the buffer's keys are its columns (a plain
   * scan under the window), their events by key and time range; else the caller rebuilds the buffer.
   */
  async release(s: SessionStep, eventsByRange: boolean): Promise<void> {
    if (eventsByRange) {
      const t = `epoch_us(CAST(${T.events}.${ident(this.w.timeColumn)} AS TIMESTAMP))`;
      await this.conn.run(`DELETE FROM ${T.events} USING ${T.sessions} WHERE ${this.releasing(s)} AND ${sameKeys(this.w, T.sessions, T.events)} AND ${t} BETWEEN ${T.sessions}.${WS} AND ${T.sessions}.${WL}`);
    }
    const gone = await this.conn.run(`DELETE FROM ${T.sessions} WHERE ${this.releasing(s)}`);
    await this.removed(Number(gone.rowsChanged), 0);
  }

  /** Counts deleted and added rows; rebuilds the table once deleted rows outnumber the live ones. */
  private async removed(deleted: number, added: number): Promise<void> {
    this.size += added - deleted;
    this.deleted += deleted;
    if (this.deleted < Math.max(MIN_DELETED, this.size)) return;
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${T.sessions} AS SELECT * FROM ${T.sessions}`);
    this.deleted = 0;
  }
}
