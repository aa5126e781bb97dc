/**
 * Kafka record batches (message format v2) decoded straight into columns: one pass over the fetched
 * bytes, offsets and timestamps into typed arrays, keys and values as byte ranges of the same buffer
 * (or of the batch's decompressed copy). No object and no string per record. Control batches
 * (transaction markers) and the batches of aborted transactions are skipped, as a read-committed
 * consumer must; their offsets still count as read (`next`).
 */
import { compressionsAlgorithmsByBitmask } from '@platformatic/kafka';
import { InternalError } from '../errors.js';
import type { ByteColumn, RecordBatch } from './batch.js';

/** An aborted transaction of a fetch response: its producer and first offset. */
export interface Aborted {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

const BATCH_HEADER = 61;
const ATTR_COMPRESSION = 0x07;
const ATTR_LOG_APPEND_TIME = 0x08;
const ATTR_TRANSACTIONAL = 0x10;
const ATTR_CONTROL = 0x20;

const int64 = (b: Buffer, at: number): number => b.readInt32BE(at) * 4294967296 + b.readUInt32BE(at + 4);

/** Reads varints from a buffer; `at` moves past what was read. */
class Cursor {
  at = 0;
  constructor(readonly buf: Buffer) {}

  /** A zigzag varint of up to 32 bits. */
  varint(): number {
    const b = this.buf;
    let u = 0;
    let shift = 0;
    for (;;) {
      const x = b[this.at++]!;
      u |= (x & 0x7f) << shift;
      if (x < 0x80) break;
      shift += 7;
    }
    return (u >>> 1) ^ -(u & 1);
  }

  /** A zigzag varint of up to 64 bits, exact within ±2^53. */
  varlong(): number {
    const b = this.buf;
    let u = 0;
    let mul = 1;
    for (;;) {
      const x = b[this.at++]!;
      u += (x & 0x7f) * mul;
      if (x < 0x80) break;
      mul *= 128;
    }
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
}

interface Builder {
  n: number;
  readonly offsets: Float64Array;
  readonly timestamps: Float64Array;
  readonly buffers: Buffer[];
  readonly src: Uint32Array;
  readonly keyStart: Uint32Array;
  readonly keyLen: Int32Array;
  readonly valueStart: Uint32Array;
  readonly valueLen: Int32Array;
  headers: (string | null)[] | undefined;
}

function headersJson(c: Cursor, count: number): string {
  const out: Record<string, string | null | (string | null)[]> = {};
  for (let h = 0; h < count; h++) {
    const kl = c.varint();
    const k = c.buf.toString('utf8', c.at, c.at + kl);
    c.at += kl;
    const vl = c.varint();
    const v = vl < 0 ? null : c.buf.toString('utf8', c.at, c.at + vl);
    if (vl > 0) c.at += vl;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return JSON.stringify(out);
}

/** The records of one batch's record bytes (`c` at the first record) into the builder. */
function readRecords(c: Cursor, count: number, bufIndex: number, baseOffset: number, baseTs: number, logAppendTs: number | undefined, from: number, into: Builder): void {
  for (let r = 0; r < count; r++) {
    c.varint(); // record length
    c.at++; // attributes
    const tsDelta = c.varlong();
    const offset = baseOffset + c.varint();
    const kl = c.varint();
    const ks = c.at;
    if (kl > 0) c.at += kl;
    const vl = c.varint();
    const vs = c.at;
    if (vl > 0) c.at += vl;
    const hc = c.varint();
    const headers = hc > 0 ? headersJson(c, hc) : null;
    if (offset < from) continue;
    const i = into.n++;
    into.offsets[i] = offset;
    into.timestamps[i] = logAppendTs ?? baseTs + tsDelta;
    into.src[i] = bufIndex;
    into.keyStart[i] = ks;
    into.keyLen[i] = kl;
    into.valueStart[i] = vs;
    into.valueLen[i] = vl;
    if (headers !== null) (into.headers ??= new Array<string | null>(into.offsets.length).fill(null))[i] = headers;
  }
}

/**
 * The records at or after offset `from` in `data` (the record batches of one partition in a fetch
 * response; a partial batch at its end is ignored, as the broker may cut one off). `aborted`: the
 * response's aborted transactions, for read-committed reading.
 */
export function decodeRecords(partition: number, data: Buffer, from: number, aborted: readonly Aborted[] = []): RecordBatch {
  // 1. the batches and how many records they hold
  let total = 0;
  const batches: number[] = [];
  for (let at = 0; at + BATCH_HEADER <= data.length; ) {
    const end = at + 12 + data.readInt32BE(at + 8);
    if (end > data.length) break;
    if (data[at + 16] !== 2) throw new InternalError(`unsupported Kafka message format ${data[at + 16]} in partition ${partition}`);
    batches.push(at);
    total += data.readInt32BE(at + 57);
    at = end;
  }
  const into: Builder = {
    n: 0, offsets: new Float64Array(total), timestamps: new Float64Array(total), buffers: [data], src: new Uint32Array(total),
    keyStart: new Uint32Array(total), keyLen: new Int32Array(total), valueStart: new Uint32Array(total), valueLen: new Int32Array(total), headers: undefined,
  };
  // 2. each batch's records; aborted transactions' batches and control batches skipped
  const pending = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const abortedPids = new Set<bigint>();
  let next = from;
  for (const at of batches) {
    const baseOffset = int64(data, at);
    const attributes = data.readInt16BE(at + 21);
    const lastOffset = baseOffset + data.readInt32BE(at + 23);
    const producerId = data.readBigInt64BE(at + 43);
    const count = data.readInt32BE(at + 57);
    const end = at + 12 + data.readInt32BE(at + 8);
    next = Math.max(next, lastOffset + 1);
    while (pending.length > 0 && Number(pending[0]!.firstOffset) <= lastOffset) abortedPids.add(pending.shift()!.producerId);
    if (attributes & ATTR_CONTROL) {
      // a transaction marker ends the producer's transaction: its later batches are read again
      if (abortedPids.has(producerId)) abortedPids.delete(producerId);
      continue;
    }
    if (attributes & ATTR_TRANSACTIONAL && abortedPids.has(producerId)) continue;
    let c = new Cursor(data);
    c.at = at + BATCH_HEADER;
    let bufIndex = 0;
    const compression = attributes & ATTR_COMPRESSION;
    if (compression !== 0) {
      const algorithm = compressionsAlgorithmsByBitmask[compression as keyof typeof compressionsAlgorithmsByBitmask];
      if (!algorithm) throw new InternalError(`unsupported Kafka compression ${compression} in partition ${partition}`);
      const plain = algorithm.decompressSync(data.subarray(at + BATCH_HEADER, end));
      bufIndex = into.buffers.push(plain) - 1;
      c = new Cursor(plain);
    }
    const logAppendTs = attributes & ATTR_LOG_APPEND_TIME ? int64(data, at + 35) : undefined;
    readRecords(c, count, bufIndex, baseOffset, int64(data, at + 27), logAppendTs, from, into);
  }
  const n = into.n;
  const column = (start: Uint32Array, len: Int32Array): ByteColumn => ({ buffers: into.buffers, src: into.buffers.length > 1 ? into.src.subarray(0, n) : undefined, start: start.subarray(0, n), len: len.subarray(0, n) });
  return {
    partition,
    length: n,
    offsets: into.offsets.subarray(0, n),
    timestamps: into.timestamps.subarray(0, n),
    keys: column(into.keyStart, into.keyLen),
    values: column(into.valueStart, into.valueLen),
    headers: into.headers?.slice(0, n),
    next: n > 0 ? Math.max(next, into.offsets[n - 1]! + 1) : next,
  };
}
