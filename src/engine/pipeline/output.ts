/**
 * A pipeline's output, in the forms its consumers want: records (records(), collect(), table and
 * Parquet sinks) and Kafka messages (Kafka sinks). Each consumer says what it wants when it
 * subscribes; a batch is built, once, for the consumers subscribed when it is published. Messages
 * come from DuckDB as text where it can render them (jsonSql.ts), else from the records.
 */
import { JSDuckDBValueConverter, type DuckDBDataChunk, type DuckDBVector } from '@duckdb/node-api';
import type { Scalar } from '../changelog/types.js';
import { jsToScalar } from '../exec/duck.js';
import type { MessageColumns } from '../sink/types.js';

export type PipelineRecord = Record<string, Scalar>;

/** What a consumer takes: records, or Kafka messages keyed by a column (or none), stamped with the time column (or not). */
export type OutputWant = { readonly kind: 'records' } | MessageWant;
export interface MessageWant {
  readonly kind: 'messages';
  readonly key: string | undefined;
  readonly time: string | undefined;
}

export interface OutputBatch {
  readonly phase: 'history' | 'live';
  readonly length: number;
  /** Built when a consumer wants records, or no consumer is subscribed (kept for the next). */
  readonly records: readonly PipelineRecord[] | undefined;
  /** Messages rendered by DuckDB, by wantId. */
  readonly messages: ReadonlyMap<string, MessageColumns>;
}

export const wantId = (w: MessageWant): string => JSON.stringify([w.key ?? null, w.time ?? null]);

/** Records from column-major values. */
export function toRecords(names: readonly string[], columns: readonly (readonly unknown[])[]): PipelineRecord[] {
  const n = columns[0]?.length ?? 0;
  const cols = columns.map((c) => c.map(jsToScalar));
  const out: PipelineRecord[] = new Array<PipelineRecord>(n);
  for (let i = 0; i < n; i++) {
    const r: PipelineRecord = {};
    for (let j = 0; j < names.length; j++) r[names[j]!] = cols[j]![i] ?? null;
    out[i] = r;
  }
  return out;
}

const keyText = (v: Scalar | undefined): string | null => (v === null || v === undefined ? null : String(v));
const epochMs = (v: Scalar | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/** The records path: each record as JSON, its key column's value as text, its time column as the stamp. */
export function messagesFromRecords(records: readonly PipelineRecord[], key: string | undefined, time: string | undefined): MessageColumns {
  return {
    length: records.length,
    keys: records.map((r) => (key === undefined ? null : keyText(r[key]))),
    values: records.map((r) => JSON.stringify(r)),
    timestampsMs: time === undefined ? undefined : records.map((r) => epochMs(r[time])),
  };
}

/** A batch's messages for a want: DuckDB's text where the batch has it, else from its records. */
export function messagesOf(batch: OutputBatch, want: MessageWant): MessageColumns {
  return batch.messages.get(wantId(want)) ?? messagesFromRecords(batch.records ?? [], want.key, want.time);
}

/**
 * Where the query's chunks hold the rendered messages (see batch.ts): the value column, the column
 * of each key column's text (undefined: no key), the time column as epoch ms.
 */
export interface RenderedColumns {
  readonly value: number;
  readonly keys: ReadonlyMap<string | undefined, number | undefined>;
  readonly time: number | undefined;
}

function strings(vector: DuckDBVector | undefined, n: number, into: (string | null)[]): void {
  for (let i = 0; i < n; i++) into.push(vector ? (vector.getItem(i) as string | null) : null);
}

/** One batch from the query's chunks, for the wants of now. */
export function outputOf(chunks: readonly DuckDBDataChunk[], rendered: RenderedColumns | undefined, wants: readonly OutputWant[], phase: OutputBatch['phase'], names: readonly string[]): OutputBatch {
  const length = chunks.reduce((n, c) => n + c.rowCount, 0);
  const messageWants = wants.filter((w): w is MessageWant => w.kind === 'messages');
  const fromSql = rendered ? messageWants.filter((w) => rendered.keys.has(w.key) && (w.time === undefined || rendered.time !== undefined)) : [];
  const needRecords = wants.length === 0 || fromSql.length < wants.length;
  let records: PipelineRecord[] | undefined;
  if (needRecords) {
    records = [];
    for (const c of chunks) for (const r of toRecords(names, names.map((_n, j) => c.convertColumnValues(j, JSDuckDBValueConverter)))) records.push(r);
  }
  const messages = new Map<string, MessageColumns>();
  if (rendered && fromSql.length > 0) {
    const values: (string | null)[] = [];
    const keys = new Map<string | undefined, (string | null)[]>([...rendered.keys.keys()].map((k) => [k, []]));
    const times: (number | undefined)[] = [];
    for (const c of chunks) {
      const start = values.length;
      strings(c.getColumnVector(rendered.value), c.rowCount, values);
      for (const [k, at] of rendered.keys) strings(at === undefined ? undefined : c.getColumnVector(at), c.rowCount, keys.get(k)!);
      if (rendered.time !== undefined) {
        const t = c.getColumnVector(rendered.time);
        for (let i = 0; i < c.rowCount; i++) times.push((t.getItem(i) as number | null) ?? undefined);
      }
      // a row DuckDB left to the records path (see jsonSql.ts)
      for (let i = 0; i < c.rowCount; i++) {
        if (values[start + i] !== null) continue;
        const row = records?.[start + i] ?? toRecords(names, c.convertRowValues(i, JSDuckDBValueConverter).slice(0, names.length).map((v) => [v]))[0]!;
        values[start + i] = JSON.stringify(row);
      }
    }
    for (const w of fromSql) messages.set(wantId(w), { length, keys: keys.get(w.key)!, values, timestampsMs: w.time === undefined ? undefined : times });
  }
  return { phase, length, records, messages };
}
