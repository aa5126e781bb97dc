/**
 * The changelog of a windowed query: upserts of window results keyed by window + group keys.
 * This is the contract between the engine and its consumers (charts, tables, sinks); keep it stable.
 *
 * Times are epoch milliseconds in UTC (plain numbers: JSON- and Vega-friendly). Windows are
 * half-open: an event at time t belongs to a window when start <= t < end.
 */

/** A value in a result row. BIGINTs become numbers when safe, otherwise strings; timestamps become epoch ms. */
export type Scalar = string | number | boolean | null;

/**
 * The status of a row: 'provisional' (the window is still filling; a later row with the same key
 * replaces it), 'final' (the watermark has passed the window end — plus the allowed lateness in
 * emit mode 'final'), 'revised' (a final row changed by late data accepted within the allowed
 * lateness) and 'retract' (the row no longer exists: a session window replaced by a merge; its
 * values are the last ones emitted).
 */
export type ChangeKind = 'provisional' | 'final' | 'revised' | 'retract';

/** One window result: an upsert of `key`. */
export interface ChangelogRow {
  readonly kind: ChangeKind;
  /** Stable key of window + group keys, e.g. `1700000000000|1700003600000|["AA"]`. */
  readonly key: string;
  /** Window start, epoch ms UTC (inclusive). */
  readonly windowStart: number;
  /** Window end, epoch ms UTC (exclusive). */
  readonly windowEnd: number;
  /** The group key values by output column name (empty for a query without GROUP BY keys). */
  readonly group: Readonly<Record<string, Scalar>>;
  /** The aggregate (and other non-key) output columns by name. */
  readonly values: Readonly<Record<string, Scalar>>;
  /** Position of this row in the query's changelog, from 1; increases by one per row. */
  readonly seq: number;
  /**
   * Events that arrived too late for this window (beyond the allowed lateness), counted so far and
   * kept in the query's late-events table. Absent when none. A window's rows are emitted again
   * (same kind and values) when its count grows after it closed.
   */
  readonly late?: number;
}

/** A group of rows emitted together (one micro-batch, or the history phase). */
export interface ChangelogBatch {
  readonly rows: readonly ChangelogRow[];
  /** The query watermark after this batch, epoch ms UTC (null before any event). */
  readonly watermark: number | null;
  /** 'history' for rows of the history phase, 'live' afterwards, 'flush' for the end-of-input flush. */
  readonly phase: 'history' | 'live' | 'flush';
}

/** The flat record form of a row: window_start, window_end, group keys, values, plus kind and key. */
export type FlatRow = Record<string, Scalar> & { readonly kind: ChangeKind; readonly key: string; readonly window_start: number; readonly window_end: number; readonly late: number };

export function flattenRow(row: ChangelogRow): FlatRow {
  return { ...row.group, ...row.values, window_start: row.windowStart, window_end: row.windowEnd, kind: row.kind, key: row.key, late: row.late ?? 0 };
}

/** The stable key of a window and its group key values (in output column order). */
export function changelogKey(windowStart: number, windowEnd: number, groupValues: readonly Scalar[]): string {
  return `${windowStart}|${windowEnd}|${JSON.stringify(groupValues)}`;
}
