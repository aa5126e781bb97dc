/**
 * A stream source: schema, event-time column, bounded out-of-orderness, a history part and a live
 * part. Plain data, validated once by `source()` (see define.ts); everything behind trusts it.
 */

/** Files are paths or globs, read by DuckDB. `offsets` marks an archive of the live topic. */
export type HistorySpec =
  | { readonly kind: 'parquet'; readonly paths: readonly string[] }
  | { readonly kind: 'csv'; readonly paths: readonly string[] }
  | { readonly kind: 'json'; readonly paths: readonly string[] }
  | { readonly kind: 'table'; readonly table: string }
  | { readonly kind: 'query'; readonly sql: string }
  | { readonly kind: 'kafkaBacklog' };

/** How live Kafka records become rows: the formats a source may name (exec/recordSql.ts reads each). */
export const LIVE_FORMATS = ['json', 'csv', 'text'] as const;
export type LiveFormat = (typeof LIVE_FORMATS)[number];

/**
 * Where live reading starts when history does not say: 'end' (the end offsets at start),
 * 'earliest', explicit offsets per partition (partitions not named start at their earliest offset),
 * or a time (epoch ms): the reader seeks by record timestamp, and with history that time is the
 * hand-off boundary. By default an archive with _partition and _offset columns and the topic backlog
 * resume exactly after the history; other history hands off by time at its maximum event time.
 */
export type StartAt = 'end' | 'earliest' | { readonly offsets: Readonly<Record<number, number>> } | { readonly timestamp: number };

/** The time hand-off, for history without offsets (see query/handoff.ts). */
export interface TimeHandoffSpec {
  /** The boundary, epoch ms: history holds the events at or before it. Default: history's max event time. */
  readonly boundaryMs?: number;
  /** A first live event further than this after the boundary is reported as a gap. Default: the window size. */
  readonly maxGapMs?: number;
}

export interface LiveSpec {
  readonly topic: string;
  readonly format: LiveFormat;
  readonly csvDelimiter: string;
  /** Undefined: after the backlog or archive when history is one, by time after other history, else at the end. */
  readonly startAt?: StartAt;
  readonly handoff?: TimeHandoffSpec;
}

export interface SourceSpec {
  readonly name: string;
  readonly time: string;
  readonly maxOutOfOrdernessMs: number;
  /** A partition silent this long stops holding the watermark back. */
  readonly idleTimeoutMs: number;
  readonly history?: HistorySpec;
  readonly live?: LiveSpec;
  /** Column name → DuckDB type; inferred from history when absent. */
  readonly schema?: Readonly<Record<string, string>>;
}

/** The Kafka metadata columns of every source (NULL for rows that came from files). */
export const KAFKA_COLUMNS: Readonly<Record<string, string>> = {
  _key: 'VARCHAR',
  _partition: 'INTEGER',
  _offset: 'BIGINT',
  _timestamp: 'TIMESTAMP',
  _headers: 'VARCHAR',
};
