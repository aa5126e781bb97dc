/**
 * What a chart reads: the engine's changelog (rows or batches of rows), or plain records. Both
 * become flat tuples for Vega, in the engine's flat form (window_start, window_end, group keys,
 * values, `kind`, `key`) plus `late`, the late events counted against the window.
 */
import type { ChangeKind, ChangelogBatch, ChangelogRow, Scalar } from '../engine/changelog/types.js';
import type { Tuple } from './protocol.js';

/** The statuses a chart draws apart; 'revised' and 'retract' come with late data and session merges. */
export type ChartRowKind = ChangeKind;
export type WindowStatus = Exclude<ChartRowKind, 'retract'>;

/** A changelog row as a chart accepts it (the engine's row, its late count optional). */
export type ChartRow = Omit<ChangelogRow, 'kind'> & { readonly kind: ChartRowKind; readonly late?: number };

/** One flat row as Vega sees it: the wire's row (./protocol.ts) with its status and late count. */
export type ChartTuple = Tuple & {
  readonly kind: WindowStatus;
  readonly late: number;
};

export function isChartRow(x: unknown): x is ChartRow {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<ChartRow>;
  return typeof r.key === 'string' && typeof r.kind === 'string' && typeof r.windowStart === 'number' && typeof r.windowEnd === 'number' && typeof r.values === 'object';
}

export function isChangelogBatch(x: unknown): x is ChangelogBatch {
  return typeof x === 'object' && x !== null && Array.isArray((x as Partial<ChangelogBatch>).rows);
}

/** Dates and bigints do not survive JSON or Vega scales well: send epoch ms and numbers. */
export function scalar(v: unknown): Scalar | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  return undefined;
}

function flatten(into: Record<string, Scalar>, from: Readonly<Record<string, unknown>>): void {
  for (const [k, v] of Object.entries(from)) {
    const s = scalar(v);
    into[k] = s === undefined ? JSON.stringify(v) : s;
  }
}

export function rowToTuple(row: ChartRow): ChartTuple {
  const t: Record<string, Scalar> = {};
  flatten(t, row.group);
  flatten(t, row.values);
  t.window_start = row.windowStart;
  t.window_end = row.windowEnd;
  t.kind = row.kind === 'retract' ? 'final' : row.kind;
  t.key = row.key;
  t.late = row.late ?? 0;
  return t as ChartTuple;
}

/** A plain record: its own key (from `keyField`, else its position), always final. */
export function recordToTuple(record: Readonly<Record<string, unknown>>, index: number, keyField?: string): ChartTuple {
  const t: Record<string, Scalar> = {};
  flatten(t, record);
  t.key = keyField === undefined ? String(index) : String(t[keyField]);
  t.kind = 'final';
  t.late = 0;
  return t as ChartTuple;
}
