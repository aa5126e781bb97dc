/**
 * Attaching a sink: subscribe to the producer at once, open the writer (validating the target), then
 * pump batches into it in the background. The handle's `done` resolves with the counters when the
 * producer has ended and everything is written, and rejects if either fails.
 */
import type { Kafka } from 'kafkajs';
import { InternalError, isWindowpaneError, SinkError } from '../../errors.js';
import { messages } from '../../messages.js';
import { kafkaClient, resolveBrokers } from '../../kafka/connect.js';
import { toKafkaError } from '../../kafka/errors.js';
import { assertNever } from '../plan/types.js';
import { openKafkaWriter, SINK_CLUSTER } from './kafkaWriter.js';
import { openParquetWriter } from './parquetWriter.js';
import { sinkReader, type SinkReader } from './read.js';
import { openTableWriter } from './tableWriter.js';
import type { Scalar } from '../changelog/types.js';
import type { MessageColumns, SinkInput, SinkRow, SinkSpec, SinkStats, SinkWriter } from './types.js';

export class SinkHandle {
  /** Resolves with the counters once the producer has ended and every row is written. */
  readonly done: Promise<SinkStats>;

  constructor(
    readonly spec: SinkSpec,
    private readonly writer: SinkWriter,
    pump: Promise<SinkStats>,
    private readonly reader: SinkReader,
  ) {
    this.done = pump;
    this.done.catch(() => undefined);
  }

  /**
   * Reads back what a table or Parquet sink wrote, with SQL (default: everything). A Parquet sink's
   * parts are the view `parts`: e.g. read('SELECT count(*) AS n FROM parts').
   */
  read(sql?: string): Promise<Record<string, Scalar>[]> {
    return this.reader(sql);
  }

  /** Rows written, keys deleted, Kafka messages sent and Parquet files written so far. */
  stats(): SinkStats {
    return { ...this.writer.stats };
  }
}

function sinkLabel(spec: SinkSpec): string {
  switch (spec.kind) {
    case 'kafka': return `Kafka sink to topic "${spec.topic}"`;
    case 'table': return `table sink to ${spec.table}`;
    case 'parquet': return `Parquet sink to ${spec.dir}`;
    default: return assertNever(spec);
  }
}

function openWriter(input: SinkInput, spec: SinkSpec, kafka: Kafka | undefined): Promise<SinkWriter> {
  switch (spec.kind) {
    case 'kafka': {
      if (spec.key !== undefined && !input.columns.some((c) => c.name === spec.key)) {
        throw new SinkError('sink-key-column', messages.sinkKeyColumn(spec.key, input.columns.map((c) => c.name).join(', ')));
      }
      const client = spec.kafka ?? kafka ?? kafkaClient();
      const brokers = spec.kafka ? SINK_CLUSTER : kafka ? 'the given Kafka client' : resolveBrokers().join(',');
      return openKafkaWriter(client, spec.topic, spec.eventTime, input.brokerWatch?.(spec.topic, brokers));
    }
    case 'table': {
      const instance = spec.duckdb ?? input.duckdb;
      if (!instance) throw new SinkError('sink-no-duckdb', messages.invalidSinkOption('tableSink', 'duckdb', 'the producer has no DuckDB instance; pass one'));
      return openTableWriter(instance, spec.table, input.columns, spec.mode, input.what === 'changelog');
    }
    case 'parquet': return openParquetWriter(spec.dir, input.columns, spec.rowsPerFile, spec.flushEveryMs, spec.overwrite);
    default: return assertNever(spec);
  }
}

/** The sink's batches: a Kafka sink takes messages as text where the producer has them, else rows. */
function subscribe(input: SinkInput, spec: SinkSpec): AsyncIterator<readonly SinkRow[] | MessageColumns> {
  if (spec.kind === 'kafka' && input.messages) return input.messages(spec.key, spec.eventTime)[Symbol.asyncIterator]();
  return input.rows(spec.mode, spec.kind === 'kafka' ? spec.key : undefined)[Symbol.asyncIterator]();
}

export async function attachSink(input: SinkInput, spec: SinkSpec, kafka: Kafka | undefined): Promise<SinkHandle> {
  // 1. subscribe before any await: the first next() registers with the producer
  const it = subscribe(input, spec);
  const first = it.next();
  first.catch(() => undefined);
  // 2. open (and validate) the target
  let writer: SinkWriter;
  try {
    writer = await openWriter(input, spec, kafka);
  } catch (e) {
    void it.return?.();
    throw e;
  }
  // 3. pump in the background
  const pump = async (): Promise<SinkStats> => {
    try {
      for (let next = await first; !next.done; next = await it.next()) await write(writer, next.value, spec);
      await writer.close();
      return { ...writer.stats };
    } catch (e) {
      await writer.abort().catch(() => undefined);
      void it.return?.();
      input.fail?.(e);
      throw e;
    }
  };
  return new SinkHandle(spec, writer, pump(), sinkReader(spec, spec.kind === 'table' ? (spec.duckdb ?? input.duckdb) : undefined));
}

const isRows = (b: readonly SinkRow[] | MessageColumns): b is readonly SinkRow[] => Array.isArray(b);

async function write(writer: SinkWriter, batch: readonly SinkRow[] | MessageColumns, spec: SinkSpec): Promise<void> {
  try {
    if (isRows(batch)) await writer.write(batch);
    else if (writer.writeMessages) await writer.writeMessages(batch);
    else throw new InternalError(`${sinkLabel(spec)} was given Kafka messages`);
  } catch (e) {
    if (isWindowpaneError(e)) throw e;
    // retriable when the sink's broker or network failed (the cause says), not when the data did
    const cause = spec.kind === 'kafka' ? toKafkaError(e, { brokers: SINK_CLUSTER, topic: spec.topic }) : e;
    throw new SinkError('sink-write-failed', messages.sinkWriteFailed(sinkLabel(spec), e instanceof Error ? e.message : String(e)), { cause });
  }
}
