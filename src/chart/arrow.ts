/**
 * Flat rows to and from Apache Arrow IPC, for the chart's comm messages (protocol.ts): numbers as
 * Float64, strings as Utf8 (dictionary-encoded except the unique keys), booleans, nulls. Columns are
 * built straight into typed arrays: Arrow's generic builders cost more than JSON for the same rows.
 * Shared with the JupyterLab extension: it imports nothing but Apache Arrow.
 */
import { Bool, Dictionary, Float64, Int32, makeData, makeVector, Null, Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray, type Data, type Vector } from 'apache-arrow';

export type FlatValue = string | number | boolean | null;
export type FlatRow = Readonly<Record<string, FlatValue>>;

/** The validity bitmap of a column (bit set: a value), or none when nothing is null. */
function validity(values: readonly FlatValue[], nullCount: number): { nullCount: number; nullBitmap?: Uint8Array } {
  if (nullCount === 0) return { nullCount };
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i] !== null) nullBitmap[i >> 3]! |= 1 << (i & 7);
  return { nullCount, nullBitmap };
}

function utf8(values: readonly (string | null)[], nullCount: number): Data<Utf8> {
  const encoder = new TextEncoder();
  let bound = 0;
  for (let i = 0; i < values.length; i++) bound += (values[i]?.length ?? 0) * 3;
  const bytes = new Uint8Array(bound);
  const valueOffsets = new Int32Array(values.length + 1);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v) at += encoder.encodeInto(v, bytes.subarray(at)).written;
    valueOffsets[i + 1] = at;
  }
  return makeData({ type: new Utf8(), length: values.length, ...validity(values, nullCount), valueOffsets, data: bytes.subarray(0, at) });
}

function dictionary(values: readonly (string | null)[], nullCount: number): Data<Dictionary<Utf8, Int32>> {
  const codes = new Int32Array(values.length);
  const index = new Map<string, number>();
  const words: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    let code = index.get(v);
    if (code === undefined) {
      code = words.length;
      words.push(v);
      index.set(v, code);
    }
    codes[i] = code;
  }
  return makeData({ type: new Dictionary(new Utf8(), new Int32()), length: values.length, ...validity(values, nullCount), data: codes, dictionary: makeVector(utf8(words, 0)) });
}

/** One column as Arrow, or undefined when it mixes types. */
function column(name: string, rows: readonly FlatRow[]): Vector | undefined {
  const n = rows.length;
  const values = new Array<FlatValue>(n);
  let kind: string | undefined;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[i]![name] ?? null;
    values[i] = v;
    if (v === null) nulls++;
    else if (kind === undefined) kind = typeof v;
    else if (kind !== typeof v) return undefined;
  }
  switch (kind) {
    case 'number': {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = (values[i] as number | null) ?? 0;
      return makeVector(makeData({ type: new Float64(), length: n, ...validity(values, nulls), data }));
    }
    case 'string': {
      const strings = values as (string | null)[];
      return name === 'key' ? makeVector(utf8(strings, nulls)) : makeVector(dictionary(strings, nulls));
    }
    case 'boolean': return vectorFromArray(values as (boolean | null)[], new Bool());
    default: return makeVector(makeData({ type: new Null(), length: n, nullCount: n }));
  }
}

/** Rows as Arrow IPC (one record batch), or undefined when a field holds values of different types. */
export function encodeRows(rows: readonly FlatRow[]): Uint8Array | undefined {
  const names = new Set<string>();
  for (const r of rows) for (const k in r) names.add(k);
  const columns: Record<string, Vector> = {};
  for (const name of names) {
    const c = column(name, rows);
    if (!c) return undefined;
    columns[name] = c;
  }
  return tableToIPC(new Table(columns), 'stream');
}

/** The strings of a Utf8 column chunk, decoded once as a whole when they are ASCII (nulls as null). */
function strings(data: Data<Utf8>): (string | null)[] {
  const bytes = data.values;
  const offsets = data.valueOffsets;
  const from = offsets[data.offset]!;
  const to = offsets[data.offset + data.length]!;
  let ascii = true;
  for (let i = from; i < to && ascii; i++) ascii = bytes[i]! < 0x80;
  const decoder = new TextDecoder();
  const all = ascii ? decoder.decode(bytes.subarray(from, to)) : '';
  const out = new Array<string | null>(data.length);
  for (let i = 0; i < data.length; i++) {
    const a = offsets[data.offset + i]!;
    const b = offsets[data.offset + i + 1]!;
    out[i] = data.getValid(i) ? (ascii ? all.slice(a - from, b - from) : decoder.decode(bytes.subarray(a, b))) : null;
  }
  return out;
}

/** Rows from Arrow IPC (a value null in Arrow is null in the row). */
export function decodeRows(bytes: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(bytes);
  const rows: Record<string, unknown>[] = Array.from({ length: table.numRows }, () => ({}));
  for (const field of table.schema.fields) {
    const col = table.getChild(field.name);
    if (!col) continue;
    const name = field.name;
    if (col.nullCount === 0 && col.type instanceof Float64) {
      // numbers without nulls: one typed array
      const a = col.toArray() as Float64Array;
      for (let i = 0; i < rows.length; i++) rows[i]![name] = a[i];
    } else if (col.data.length === 1 && col.type instanceof Utf8) {
      const values = strings(col.data[0] as Data<Utf8>);
      for (let i = 0; i < rows.length; i++) rows[i]![name] = values[i];
    } else if (col.data.length === 1 && col.type instanceof Dictionary && col.type.dictionary instanceof Utf8) {
      // each word decoded once
      const data = col.data[0] as Data<Dictionary<Utf8, Int32>>;
      const words = strings(data.dictionary!.data[0] as Data<Utf8>);
      const codes = data.values;
      for (let i = 0; i < rows.length; i++) rows[i]![name] = data.getValid(i) ? words[codes[data.offset + i]!] : null;
    } else {
      let i = 0;
      for (const v of col) rows[i++]![name] = v as unknown;
    }
  }
  return rows;
}
