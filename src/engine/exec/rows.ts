/** Query results as changelog rows: window, group key values, values; final once the watermark passed the end. */
import type { DuckDBResultReader } from '@duckdb/node-api';
import { changelogKey, type ChangelogRow, type Scalar } from '../changelog/types.js';
import type { WindowSpec } from '../plan/types.js';
import { jsToScalar } from './duck.js';
import type { OutputShape } from './shape.js';
import { US_PER_MS } from './windowSql.js';

export function resultRows(reader: DuckDBResultReader, shape: OutputShape, window: WindowSpec, wmUs: number): Omit<ChangelogRow, 'seq'>[] {
  const names = reader.columnNames();
  // column-wise conversion: one pass per column, no per-value DuckDBValue objects
  const cols = reader.getColumnsJS().map((col) => col.map(jsToScalar));
  const at = (n: string): readonly Scalar[] => cols[names.indexOf(n)] ?? [];
  const starts = at('window_start');
  const keyCols = shape.keys.map(at);
  const valCols = shape.values.map(at);
  const out: Omit<ChangelogRow, 'seq'>[] = [];
  for (let i = 0; i < starts.length; i++) {
    const windowStart = Number(starts[i]);
    const windowEnd = windowStart + window.sizeMs;
    const groupValues = keyCols.map((c) => c[i] ?? null);
    const group: Record<string, Scalar> = {};
    shape.keys.forEach((k, j) => (group[k] = groupValues[j]!));
    const values: Record<string, Scalar> = {};
    shape.values.forEach((k, j) => (values[k] = valCols[j]![i] ?? null));
    const kind = windowEnd * US_PER_MS <= wmUs ? 'final' : 'provisional';
    out.push({ kind, key: changelogKey(windowStart, windowEnd, groupValues), windowStart, windowEnd, group, values });
  }
  return out;
}
