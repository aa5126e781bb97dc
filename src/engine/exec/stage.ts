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
      const part = records.slice(from, from + CHUNK);
      const chunk = DuckDBDataChunk.create(TYPES, part.length);
      chunk.setColumnValues(0, part.map((r) => r.partition));
      chunk.setColumnValues(1, part.map((r) => BigInt(r.offset)));
      chunk.setColumnValues(2, part.map((r) => BigInt(r.timestampMs)));
      chunk.setColumnValues(3, part.map((r) => r.key));
      chunk.setColumnValues(4, part.map((r) => r.headers));
      chunk.setColumnValues(5, part.map((r) => r.value));
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
