/**
 * The staging table for raw Kafka records, filled column-wise from a record batch: per chunk of up
 * to 2048 records, the offsets and timestamps are written as int64 words in one copy per column,
 * the keys and values handed to DuckDB as byte ranges of the fetched buffers (BLOB: no string is
 * made in JavaScript and no UTF-8 check runs here; the typing SQL decodes them), and the nulls as a
 * validity mask. No object per record, no row-by-row INSERT. Each staging round (the records typed
 * by one statement) has a sequence number of its own: the table is not emptied after a round but
 * read by round, and rebuilt only after STAGE_ROWS records (a statement per micro-batch saved).
 */
import duckdb from '@duckdb/node-bindings';
import { BIGINT, BLOB, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { InternalError } from '../../errors.js';
import type { ByteColumn, RecordBatch } from '../../kafka/batch.js';

const CHUNK = 2048;
const TYPES = [INTEGER, BIGINT, BIGINT, BLOB, VARCHAR, BLOB, BIGINT];
/** Records the table may hold before it is rebuilt (DuckDB frees the blocks of deleted rows only then). */
export const STAGE_ROWS = 262_144;

/** Scratch space for one chunk: int64 words as pairs of int32 (little-endian), a validity mask. */
const words = new Int32Array(CHUNK * 2);
const ints = new Int32Array(CHUNK);
const seqs = new Float64Array(CHUNK);
const mask = new Uint8Array(CHUNK / 8);

function int64Column(vector: duckdb.Vector, values: Float64Array, from: number, size: number): void {
  for (let i = 0; i < size; i++) {
    const v = values[from + i]!;
    const hi = Math.floor(v / 4294967296);
    words[2 * i] = v - hi * 4294967296;
    words[2 * i + 1] = hi;
  }
  duckdb.copy_data_to_vector(vector, 0, words.buffer, 0, size * 8);
}

function setValidity(vector: duckdb.Vector, size: number): void {
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer, 0, Math.ceil(size / 64) * 8);
}

function bytesColumn(vector: duckdb.Vector, c: ByteColumn, from: number, size: number): void {
  let nulls = false;
  mask.fill(0xff);
  const one = c.src ? undefined : c.buffers[0]!;
  for (let i = 0; i < size; i++) {
    const j = from + i;
    const len = c.len[j]!;
    if (len < 0) {
      mask[i >>> 3]! &= ~(1 << (i & 7));
      nulls = true;
      continue;
    }
    const buf = one ?? c.buffers[c.src![j]!]!;
    const start = c.start[j]!;
    duckdb.vector_assign_string_element_len(vector, i, buf.subarray(start, start + len));
  }
  if (nulls) setValidity(vector, size);
}

function textColumn(vector: duckdb.Vector, texts: readonly (string | null)[] | undefined, from: number, size: number): void {
  mask.fill(0);
  if (texts) {
    for (let i = 0; i < size; i++) {
      const t = texts[from + i];
      if (t === null || t === undefined) continue;
      mask[i >>> 3]! |= 1 << (i & 7);
      duckdb.vector_assign_string_element(vector, i, t);
    }
  }
  setValidity(vector, size);
}

export class Stage {
  private appender: DuckDBAppender | undefined;
  /** The current round, and the records in the table since it was made. */
  private seq = 0;
  private rows = 0;

  constructor(
    private readonly conn: DuckDBConnection,
    readonly table: string,
  ) {}

  async create(): Promise<void> {
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.table} (_partition INTEGER, _offset BIGINT, _timestamp_ms BIGINT, _key BLOB, _headers VARCHAR, _value BLOB, _seq BIGINT)`);
    this.appender = await this.conn.createAppender(this.table, 'main', 'temp');
    this.rows = 0;
  }

  /** The records of the current round, as a relation for the typing SQL. */
  round(): string {
    return `(SELECT * FROM ${this.table} WHERE _seq = ${this.seq})`;
  }

  /** Appends a batch and flushes, so its records are visible to the next query. */
  append(batch: RecordBatch): void {
    const appender = this.appender;
    if (!appender) throw new InternalError('Stage.append before create');
    ints.fill(batch.partition);
    seqs.fill(this.seq);
    this.rows += batch.length;
    for (let from = 0; from < batch.length; from += CHUNK) {
      const size = Math.min(CHUNK, batch.length - from);
      const chunk = DuckDBDataChunk.create(TYPES, size);
      const v = (i: number): duckdb.Vector => duckdb.data_chunk_get_vector(chunk.chunk, i);
      duckdb.copy_data_to_vector(v(0), 0, ints.buffer, 0, size * 4);
      int64Column(v(1), batch.offsets, from, size);
      int64Column(v(2), batch.timestamps, from, size);
      bytesColumn(v(3), batch.keys, from, size);
      textColumn(v(4), batch.headers, from, size);
      bytesColumn(v(5), batch.values, from, size);
      int64Column(v(6), seqs, 0, size);
      duckdb.data_chunk_set_size(chunk.chunk, size);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  }

  /**
   * Ends the round: its records are typed. The table is made anew once it holds STAGE_ROWS records:
   * DuckDB keeps the blocks of deleted rows until a table is rebuilt (DELETE and TRUNCATE free
   * nothing), so deleting rounds would keep every record ever staged.
   */
  async clear(): Promise<void> {
    this.seq++;
    if (this.rows < STAGE_ROWS) return;
    this.close();
    await this.create();
  }

  close(): void {
    this.appender?.closeSync();
    this.appender = undefined;
  }
}
