/** Query results as changelog rows: window, group key values, values; the engine decides each row's kind. */
import type { DuckDBResultReader } from '@duckdb/node-api';
import { changelogKey, type ChangeKind, type ChangelogRow, type Scalar } from '../changelog/types.js';
import { jsToScalar } from './duck.js';
import type { OutputShape } from './shape.js';

/** The kind of a row of window [startMs, endMs). */
export type KindOf = (windowStartMs: number, windowEndMs: number) => ChangeKind;

/** `fixedSizeMs`: the window size when every window has it (the end is then start + size if not selected). */
export function resultRows(reader: DuckDBResultReader, shape: OutputShape, kindOf: KindOf, fixedSizeMs?: number): Omit<ChangelogRow, 'seq'>[] {
  const names = reader.columnNames();
  // column-wise conversion: one pass per column, no per-value DuckDBValue objects
  const cols = reader.getColumnsJS().map((col) => col.map(jsToScalar));
  const at = (n: string): readonly Scalar[] => cols[names.indexOf(n)] ?? [];
  const starts = at('window_start');
  const ends = names.includes('window_end') || fixedSizeMs === undefined ? at('window_end') : undefined;
  const keyCols = shape.keys.map(at);
  const valCols = shape.values.map(at);
  const out: Omit<ChangelogRow, 'seq'>[] = [];
  for (let i = 0; i < starts.length; i++) {
    const windowStart = Number(starts[i]);
    const windowEnd = ends ? Number(ends[i]) : windowStart + fixedSizeMs!;
    const groupValues = keyCols.map((c) => c[i] ?? null);
    const group: Record<string, Scalar> = {};
    shape.keys.forEach((k, j) => (group[k] = groupValues[j]!));
    const values: Record<string, Scalar> = {};
    shape.values.forEach((k, j) => (values[k] = valCols[j]![i] ?? null));
    out.push({ kind: kindOf(windowStart, windowEnd), key: changelogKey(windowStart, windowEnd, groupValues), windowStart, windowEnd, group, values });
  }
  return out;
}
