/**
 * A run of one partition's records, column by column: offsets and timestamps in typed arrays, keys
 * and values as byte ranges of the fetched buffers (no string, no object per record). The staging
 * table takes the columns as they are (exec/stage.ts); `recordAt` builds a record object for the
 * few places that want one (tests, small tools).
 */

/** Byte strings by position: item i is buffers[src[i]] (buffers[0] without src) from start[i], len[i] bytes; len −1 is null. */
export interface ByteColumn {
  readonly buffers: readonly Uint8Array[];
  readonly src: Uint32Array | undefined;
  readonly start: Uint32Array;
  readonly len: Int32Array;
}

export interface RecordBatch {
  readonly partition: number;
  readonly length: number;
  /** Offsets in increasing order (exact: offsets stay below 2^53). */
  readonly offsets: Float64Array;
  /** Record timestamps, epoch ms. */
  readonly timestamps: Float64Array;
  readonly keys: ByteColumn;
  readonly values: ByteColumn;
  /** Each record's headers as a JSON object text (null without headers); undefined when no record has any. */
  readonly headers: readonly (string | null)[] | undefined;
  /** The offset after this batch: past its last record and any control records the fetch skipped after it. */
  readonly next: number;
}

/** A record as an object (keys and values decoded as UTF-8). */
export interface TopicRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: string | null;
  readonly headers: string | null;
  readonly value: string | null;
}

/** Item i of a byte column, as a view (null for a null item). */
export function bytesAt(c: ByteColumn, i: number): Uint8Array | null {
  const len = c.len[i]!;
  if (len < 0) return null;
  const buf = c.buffers[c.src ? c.src[i]! : 0]!;
  const start = c.start[i]!;
  return buf.subarray(start, start + len);
}

const decoder = new TextDecoder();
export function textAt(c: ByteColumn, i: number): string | null {
  const b = bytesAt(c, i);
  return b === null ? null : decoder.decode(b);
}

export function recordAt(b: RecordBatch, i: number): TopicRecord {
  return { partition: b.partition, offset: b.offsets[i]!, timestampMs: b.timestamps[i]!, key: textAt(b.keys, i), headers: b.headers?.[i] ?? null, value: textAt(b.values, i) };
}

export function toRecords(b: RecordBatch): TopicRecord[] {
  return Array.from({ length: b.length }, (_, i) => recordAt(b, i));
}

function sliceColumn(c: ByteColumn, from: number, to: number): ByteColumn {
  return { buffers: c.buffers, src: c.src?.subarray(from, to), start: c.start.subarray(from, to), len: c.len.subarray(from, to) };
}

/** Records [from, to) of a batch, sharing its memory; `next` is the offset after the last one kept (the batch's own when all are). */
export function sliceBatch(b: RecordBatch, from: number, to: number): RecordBatch {
  if (from === 0 && to >= b.length) return b;
  return {
    partition: b.partition,
    length: Math.max(0, to - from),
    offsets: b.offsets.subarray(from, to),
    timestamps: b.timestamps.subarray(from, to),
    keys: sliceColumn(b.keys, from, to),
    values: sliceColumn(b.values, from, to),
    headers: b.headers?.slice(from, to),
    next: to >= b.length ? b.next : b.offsets[to]!,
  };
}

/** The index of the first record at or after `offset` (offsets are increasing). */
export function indexOfOffset(b: RecordBatch, offset: number): number {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b.offsets[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function concatColumns(cols: readonly ByteColumn[], total: number): ByteColumn {
  const buffers: Uint8Array[] = [];
  const src = new Uint32Array(total);
  const start = new Uint32Array(total);
  const len = new Int32Array(total);
  let at = 0;
  for (const c of cols) {
    const base = buffers.length;
    buffers.push(...c.buffers);
    for (let i = 0; i < c.len.length; i++) src[at + i] = base + (c.src ? c.src[i]! : 0);
    start.set(c.start, at);
    len.set(c.len, at);
    at += c.len.length;
  }
  return { buffers, src, start, len };
}

/** Consecutive batches of one partition as one. */
export function concatBatches(batches: readonly RecordBatch[]): RecordBatch {
  if (batches.length === 1) return batches[0]!;
  const total = batches.reduce((n, b) => n + b.length, 0);
  const offsets = new Float64Array(total);
  const timestamps = new Float64Array(total);
  let at = 0;
  for (const b of batches) {
    offsets.set(b.offsets, at);
    timestamps.set(b.timestamps, at);
    at += b.length;
  }
  const anyHeaders = batches.some((b) => b.headers !== undefined);
  return {
    partition: batches[0]!.partition,
    length: total,
    offsets,
    timestamps,
    keys: concatColumns(batches.map((b) => b.keys), total),
    values: concatColumns(batches.map((b) => b.values), total),
    headers: anyHeaders ? batches.flatMap((b) => b.headers ?? new Array<null>(b.length).fill(null)) : undefined,
    next: batches[batches.length - 1]!.next,
  };
}

/** A batch from record objects (tests, and clients that hand over whole messages). */
export function batchOf(partition: number, records: readonly { offset: number; timestampMs: number; key: Uint8Array | null; value: Uint8Array | null; headers?: string | null }[], next?: number): RecordBatch {
  const n = records.length;
  const column = (pick: (i: number) => Uint8Array | null): ByteColumn => {
    const buffers: Uint8Array[] = [];
    const src = new Uint32Array(n);
    const len = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const b = pick(i);
      src[i] = buffers.length;
      len[i] = b === null ? -1 : b.length;
      buffers.push(b ?? EMPTY);
    }
    return { buffers, src, start: new Uint32Array(n), len };
  };
  return {
    partition,
    length: n,
    offsets: Float64Array.from(records, (r) => r.offset),
    timestamps: Float64Array.from(records, (r) => r.timestampMs),
    keys: column((i) => records[i]!.key),
    values: column((i) => records[i]!.value),
    headers: records.some((r) => r.headers) ? records.map((r) => r.headers ?? null) : undefined,
    next: next ?? (n > 0 ? records[n - 1]!.offset + 1 : 0),
  };
}

const EMPTY = new Uint8Array(0);
