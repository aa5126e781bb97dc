/** What a data set generator returns: Parquet files split at a point in event time. */
export interface SplitDataset {
  /** Events before `split`: the history part of a source. */
  readonly history: string;
  /** Events from `split` on: replayed into Kafka as the live part. */
  readonly live: string;
  /** The split, ISO-8601 UTC. */
  readonly split: string;
  /** The event-time column. */
  readonly time: string;
}
