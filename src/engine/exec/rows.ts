/** Query results as changelog rows: window, group key values, values; the engine decides each row's kind. */
import { JSDuckDBValueConverter, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import { changelogKey, type ChangeKind, type ChangelogRow, type Scalar } from '../changelog/types.js';
import { jsToScalar } from './duck.js';
import type { OutputShape } from './shape.js';

/** The kind of a row of window [startMs, endMs). */
export type KindOf = (windowStartMs: number, windowEndMs: number) => ChangeKind;

/** `fixedSizeMs`: the window size when every window has it (the end is then start + size if not selected). */
export function resultRows(reader: DuckDBResultReader, shape: OutputShape, kindOf: KindOf, fixedSizeMs?: number): Omit<ChangelogRow, 'seq'>[] {
  return columnRows(reader.columnNames(), reader.getColumnsJS(), shape, kindOf, fixedSizeMs);
}

/** Rows converted and handed over at once, at most, by streamRows. */
export const ROWS_PER_CHUNK = 10_240;

/**
 * A query's rows streamed to `each` in chunks of about ROWS_PER_CHUNK: DuckDB's result is read chunk
 * by chunk and converted column-wise, so a result of a million rows never exists at once, neither in
 * DuckDB's result nor as JavaScript rows.
 */
export async function streamRows(conn: DuckDBConnection, sql: string, shape: OutputShape, kindOf: KindOf, fixedSizeMs: number | undefined, each: (rows: Omit<ChangelogRow, 'seq'>[]) => void): Promise<void> {
  const result = await conn.stream(sql);
  const names = result.columnNames();
  let cols: unknown[][] = names.map(() => []);
  const flush = (): void => {
    if ((cols[0]?.length ?? 0) > 0) each(columnRows(names, cols, shape, kindOf, fixedSizeMs));
    cols = names.map(() => []);
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    chunk.convertColumns(JSDuckDBValueConverter).forEach((c, i) => {
      for (const v of c) cols[i]!.push(v);
    });
    if ((cols[0]?.length ?? 0) >= ROWS_PER_CHUNK) flush();
  }
  flush();
}

function columnRows(names: readonly string[], columns: readonly (readonly unknown[])[], shape: OutputShape, kindOf: KindOf, fixedSizeMs?: number): Omit<ChangelogRow, 'seq'>[] {
  // column-wise conversion: one pass per column, no per-value DuckDBValue objects
  const cols = columns.map((col) => col.map(jsToScalar));
  const at = (n: string): readonly Scalar[] => cols[names.indexOf(n)] ?? [];
  const starts = at('window_start');
  const ends = names.includes('window_end') || fixedSizeMs === undefined ? at('window_end') : undefined;
  const keyCols = shape.keys.map(at);
  const valCols = shape.values.map(at);
  const out: Omit<ChangelogRow, 'seq'>[] = new Array<Omit<ChangelogRow, 'seq'>>(starts.length);
  const groupValues: Scalar[] = new Array<Scalar>(keyCols.length);
  for (let i = 0; i < starts.length; i++) {
    const windowStart = Number(starts[i]);
    const windowEnd = ends ? Number(ends[i]) : windowStart + fixedSizeMs!;
    const group: Record<string, Scalar> = {};
    for (let j = 0; j < keyCols.length; j++) group[shape.keys[j]!] = groupValues[j] = keyCols[j]![i] ?? null;
    const values: Record<string, Scalar> = {};
    for (let j = 0; j < valCols.length; j++) values[shape.values[j]!] = valCols[j]![i] ?? null;
    // seq is set by the changelog when it publishes the row (in place: no copy per row)
    out[i] = { kind: kindOf(windowStart, windowEnd), key: changelogKey(windowStart, windowEnd, groupValues), windowStart, windowEnd, group, values, seq: 0 } as Omit<ChangelogRow, 'seq'>;
  }
  return out;
}
