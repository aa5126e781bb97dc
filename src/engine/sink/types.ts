/**
 * Sinks write what a running query or pipeline produces. A sink is declared as plain data
 * (kafkaSink, tableSink, parquetSink in define.ts); attaching it to a query or pipeline opens a
 * writer that consumes a stream of SinkRows, framed by the producer for the sink's mode.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import type { BrokerWatch } from '../../kafka/watch.js';
import type { Scalar } from '../changelog/types.js';
import type { Column } from '../exec/recordSql.js';

/**
 * 'final': final (and revised) window rows only, upserted by their stable key; a retracted row
 * deletes its key. 'changelog': every row of the changelog, appended. Pipeline records are appended
 * in either mode.
 */
export type SinkMode = 'final' | 'changelog';

export type SinkSpec =
  | { readonly kind: 'kafka'; readonly topic: string; readonly mode: SinkMode; readonly key?: string; readonly eventTime: boolean; readonly kafka?: Kafka }
  | { readonly kind: 'table'; readonly table: string; readonly mode: SinkMode; readonly duckdb?: DuckDBInstance }
  | { readonly kind: 'parquet'; readonly dir: string; readonly mode: SinkMode; readonly rowsPerFile: number; readonly flushEveryMs: number; readonly overwrite: boolean };

/** One row for a sink: an append, an upsert of `key`, or a delete of `key`. */
export interface SinkRow {
  readonly op: 'append' | 'upsert' | 'delete';
  /** The changelog key of a window row; for a record, the Kafka key (a column, or the source's _key). */
  readonly key: string | null;
  /** The row as flat columns (see SinkInput.columns); timestamps as epoch ms. */
  readonly row: Readonly<Record<string, Scalar>>;
  /** The Kafka message value (JSON); null is a tombstone. */
  readonly value: string | null;
  /** The event time for the Kafka message timestamp (kafkaSink eventTime), epoch ms. */
  readonly timestampMs: number | undefined;
}

/**
 * Kafka messages column-wise, their values already JSON text: what a Kafka sink sends. A pipeline
 * gives them straight from DuckDB (no record object per row); rows of other producers become these
 * in the Kafka writer.
 */
export interface MessageColumns {
  readonly length: number;
  readonly keys: readonly (string | null)[];
  /** The values as JSON text; null is a tombstone. */
  readonly values: readonly (string | null)[];
  /** The event time per message, epoch ms (kafkaSink eventTime); absent when not asked for. */
  readonly timestampsMs: readonly (number | undefined)[] | undefined;
}

/** What a producer (a query or a pipeline) offers a sink. */
export interface SinkInput {
  readonly what: 'changelog' | 'records';
  /** The flat columns of SinkRow.row, with DuckDB types. */
  readonly columns: readonly Column[];
  /** The producer's DuckDB instance (a table sink writes there unless given another). */
  readonly duckdb: DuckDBInstance | undefined;
  /**
   * The rows for a sink of this mode, in batches. Subscribes at once (before the first await), so
   * a sink attached right after the producer started misses nothing it would have delivered.
   */
  rows(mode: SinkMode, key: string | undefined): AsyncIterable<readonly SinkRow[]>;
  /**
   * The Kafka messages for a Kafka sink (key column, event time or not), where the producer has them
   * ready as text; subscribes at once like rows(). A producer without it gives rows().
   */
  messages?(key: string | undefined, eventTime: boolean): AsyncIterable<MessageColumns>;
  /** Ends the producer with a sink's error: a sink that cannot write stops the query, loudly. */
  readonly fail?: (error: unknown) => void;
  /** A watch for a Kafka sink's producer: the run reports its outages and gives up after the run's broker timeout. */
  readonly brokerWatch?: (topic: string, brokers: string) => BrokerWatch;
}

export interface SinkStats {
  /** Rows written (appended or upserted). */
  readonly rows: number;
  /** Keys deleted (retractions): tombstones in Kafka, deleted rows in a table. */
  readonly deleted: number;
  /** Kafka messages sent (rows plus tombstones). */
  readonly messages: number;
  /** Parquet files written. */
  readonly files: number;
}

/** A writer for one sink: opened once, then written batch by batch, then closed. */
export interface SinkWriter {
  write(rows: readonly SinkRow[]): Promise<void>;
  /** Writes Kafka messages given as text (only a Kafka writer has it). */
  writeMessages?(batch: MessageColumns): Promise<void>;
  /** Writes what is buffered and releases the writer's resources. */
  close(): Promise<void>;
  /** Releases resources after a failure, without writing more. */
  abort(): Promise<void>;
  readonly stats: SinkStats;
}
