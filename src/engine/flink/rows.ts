/**
 * Flink's result rows as changelog rows. The query's columns come back in the order DuckDB described
 * them (window_start, window_end, keys and values as the output shape names them), so they are read
 * by position. Values become the scalars the local engine gives: timestamps and dates as epoch ms
 * (Flink writes them as UTC wall time without a zone), decimals as numbers.
 */
import { FlinkError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { ColumnInfo, ResultRow } from '../../flink/types.js';
import { changelogKey, type Scalar } from '../changelog/types.js';
import type { EngineRow } from '../exec/windowEngine.js';
import type { OutputShape } from '../exec/shape.js';

/** A Flink JSON value of a column as a changelog scalar. */
export function flinkScalar(v: unknown, column: ColumnInfo | undefined): Scalar {
  if (v === null || v === undefined) return null;
  const type = column?.logicalType.type ?? '';
  if (typeof v === 'string' && /^TIMESTAMP/.test(type)) return Date.parse(`${v.replace(' ', 'T').replace(/Z$/, '')}Z`);
  if (typeof v === 'string' && type === 'DATE') return Date.parse(`${v}T00:00:00Z`);
  if (typeof v === 'string' && (type === 'DECIMAL' || type === 'BIGINT')) return Number(v);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/**
 * Converts a page of rows. A window aggregation only inserts: each row is a window's final result.
 * `fixedSizeMs` gives window_end when the query does not select it; `endShiftMs` is added to
 * window_end (a session's gap is shorter on Flink, see translate.ts).
 */
export function flinkRows(rows: readonly ResultRow[], columns: readonly ColumnInfo[], shape: OutputShape, fixedSizeMs: number | undefined, endShiftMs = 0): EngineRow[] {
  const at = (name: string): number => shape.columns.indexOf(name);
  const start = at('window_start');
  const end = at('window_end');
  const keys = shape.keys.map(at);
  const values = shape.values.map(at);
  return rows.map((r) => {
    if (r.kind !== 'INSERT') throw new FlinkError('flink-result', messages.flinkUnexpectedRow(r.kind));
    const field = (i: number): Scalar => flinkScalar(r.fields[i], columns[i]);
    const windowStart = Number(field(start));
    const windowEnd = end >= 0 ? Number(field(end)) + endShiftMs : windowStart + (fixedSizeMs ?? 0);
    const groupValues = keys.map(field);
    const group: Record<string, Scalar> = {};
    shape.keys.forEach((k, j) => (group[k] = groupValues[j]!));
    const vals: Record<string, Scalar> = {};
    shape.values.forEach((k, j) => (vals[k] = field(values[j]!)));
    return { kind: 'final', key: changelogKey(windowStart, windowEnd, groupValues), windowStart, windowEnd, group, values: vals };
  });
}
