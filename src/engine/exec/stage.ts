/**
 * The staging table for raw Kafka records. Records are appended column-wise: a DataChunk per up to
 * 2048 records through DuckDB's Appender — no row-by-row INSERTs.
 */
import { InternalError } from '../../errors.js';
import type { TopicRecord } from '../../kafka/reader.js';
import { BIGINT, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';

/** A Kafka record as the reader delivers it, before it is typed against the source's schema. */
export type RawRecord = TopicRecord;

const CHUNK = 2048;
const TYPES = [INTEGER, BIGINT, BIGINT, VARCHAR, VARCHAR, VARCHAR];

export class Stage {
  private appender: DuckDBAppender | undefined;

  constructor(
    private readonly conn: DuckDBConnection,
    readonly table: string,
  ) {}

  async create(): Promise<void> {
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.table} (_partition INTEGER, _offset BIGINT, _timestamp_ms BIGINT, _key VARCHAR, _headers VARCHAR, _value VARCHAR)`);
    this.appender = await this.conn.createAppender(this.table, 'main', 'temp');
  }

  /** Appends records and flushes, so they are visible to the next query. */
  append(records: readonly RawRecord[]): void {
    const appender = this.appender;
    if (!appender) throw new InternalError('Stage.append before create');
    for (let from = 0; from < records.length; from += CHUNK) {
      const size = Math.min(CHUNK, records.length - from);
      const chunk = DuckDBDataChunk.create(TYPES, size);
      // the vectors filled in place: no array of values per column and chunk
      const vectors = TYPES.map((_t, i) => chunk.getColumnVector(i));
      for (let i = 0; i < size; i++) {
        const r = records[from + i]!;
        vectors[0]!.setItem(i, r.partition);
        vectors[1]!.setItem(i, BigInt(r.offset));
        vectors[2]!.setItem(i, BigInt(r.timestampMs));
        vectors[3]!.setItem(i, r.key);
        vectors[4]!.setItem(i, r.headers);
        vectors[5]!.setItem(i, r.value);
      }
      for (const v of vectors) v.flush();
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  }

  /**
   * Empties the table by making a new one: DuckDB keeps the blocks of deleted rows until a table is
   * rebuilt (DELETE and TRUNCATE free nothing), so a DELETE here would keep every record ever staged.
   */
  async clear(): Promise<void> {
    this.close();
    await this.create();
  }

  close(): void {
    this.appender?.closeSync();
    this.appender = undefined;
  }
}
