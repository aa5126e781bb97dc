/** The sink constructors: options validated once here, plain data after. */
import type { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration, type DurationInput } from '../duration.js';
import type { SinkMode, SinkSpec } from './types.js';

const bad = (sink: string, option: string, why: string): never => {
  throw new ConfigError('invalid-sink', messages.invalidSinkOption(sink, option, why));
};

function mode(sink: string, m: SinkMode | undefined, fallback: SinkMode): SinkMode {
  if (m === undefined) return fallback;
  return m === 'final' || m === 'changelog' ? m : bad(sink, 'mode', `${JSON.stringify(m)} is not 'final' or 'changelog'`);
}

function name(sink: string, option: string, v: unknown): string {
  return typeof v === 'string' && v.trim() !== '' ? v : bad(sink, option, 'expected a non-empty string');
}

export interface KafkaSinkOptions {
  readonly topic: string;
  /** 'final' (default): final and revised rows keyed by window + group (tombstones for retractions). */
  readonly mode?: SinkMode;
  /** For pipeline records: the column whose value is the message key (default: the source record's _key). */
  readonly key?: string;
  /**
   * Stamp each message with its event time (a record's time column; a window row's last ms) instead
   * of the time it is written. Default false: a topic's retention.ms deletes messages by their stamp,
   * so history from long ago would be deleted as soon as it is written.
   */
  readonly eventTime?: boolean;
  /** A kafkajs client; default: the producer's, else the configured cluster or the local broker. */
  readonly kafka?: Kafka;
}

/** Writes to a Kafka topic with an idempotent producer (acks from all in-sync replicas). */
export function kafkaSink(options: KafkaSinkOptions): SinkSpec {
  const s = 'kafkaSink';
  return {
    kind: 'kafka',
    topic: name(s, 'topic', options.topic),
    mode: mode(s, options.mode, 'final'),
    ...(options.key !== undefined ? { key: name(s, 'key', options.key) } : {}),
    eventTime: options.eventTime ?? false,
    ...(options.kafka ? { kafka: options.kafka } : {}),
  };
}

export interface TableSinkOptions {
  /** A table name, optionally schema-qualified: results, analytics.results. Created when missing. */
  readonly table: string;
  /** 'final' (default): upsert final rows by key, delete retracted ones. 'changelog': append every row. */
  readonly mode?: SinkMode;
  /** The DuckDB instance to write to; default: the query's own. */
  readonly duckdb?: DuckDBInstance;
}

export function tableSink(options: TableSinkOptions): SinkSpec {
  const s = 'tableSink';
  const table = name(s, 'table', options.table);
  return { kind: 'table', table, mode: mode(s, options.mode, 'final'), ...(options.duckdb ? { duckdb: options.duckdb } : {}) };
}

export interface ParquetSinkOptions {
  /** The folder for part-000001.parquet, part-000002.parquet, ... (created when missing). */
  readonly dir: string;
  /** 'final' (default): final, revised and retract rows; 'changelog': every row. */
  readonly mode?: SinkMode;
  /** Write a part once this many rows are buffered (default 100,000). */
  readonly rowsPerFile?: number;
  /** Write a part when rows have waited this long (default '10 seconds'), so live results land. */
  readonly flushEvery?: DurationInput;
  /** Replace part files of an earlier run in the folder (default false: refuse). */
  readonly overwrite?: boolean;
}

export function parquetSink(options: ParquetSinkOptions): SinkSpec {
  const s = 'parquetSink';
  const rowsPerFile = options.rowsPerFile ?? 100_000;
  if (!Number.isInteger(rowsPerFile) || rowsPerFile < 1) bad(s, 'rowsPerFile', `expected a positive whole number, got ${String(rowsPerFile)}`);
  return {
    kind: 'parquet',
    dir: name(s, 'dir', options.dir),
    mode: mode(s, options.mode, 'final'),
    rowsPerFile,
    flushEveryMs: parseDuration(options.flushEvery ?? '10 seconds', 'parquetSink flushEvery'),
    overwrite: options.overwrite ?? false,
  };
}
