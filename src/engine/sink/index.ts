/** Sinks: Kafka topics, DuckDB tables and Parquet files for queries and pipelines. */
export { kafkaSink, tableSink, parquetSink, type KafkaSinkOptions, type TableSinkOptions, type ParquetSinkOptions } from './define.js';
export { SinkHandle } from './attach.js';
export type { SinkSpec, SinkMode, SinkStats } from './types.js';
