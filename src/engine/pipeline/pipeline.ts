/** A running (or finished) stateless pipeline: its records, sinks, stats and explanation. */
import { tableFromJSON, type RecordBatch } from 'apache-arrow';
import type { Scalar } from '../changelog/types.js';
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { readRecords } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';
import { T } from '../exec/tables.js';
import { attachSink, type SinkHandle } from '../sink/attach.js';
import type { SinkSpec } from '../sink/types.js';
import { explainPipeline } from './explain.js';
import type { PipelineRecord } from './output.js';
import { recordsInput } from './recordsInput.js';
import type { Run, RunPhase } from '../run/driver.js';
import type { BrokerStats } from '../run/outage.js';
import type { PipelineCounters, PipelineExecutor } from './executor.js';
import type { RecordHub } from './hub.js';

export interface PipelineStats extends PipelineCounters {
  readonly phase: RunPhase;
  /** Next offset per partition after the records the pipeline has taken (live sources). */
  readonly positions: Readonly<Record<number, number>>;
  /** Records dropped because nobody consumed them (more than 100,000 waiting with no consumer). */
  readonly unread: number;
  /** The broker as the run sees it (see QueryStats.broker); absent without Kafka. */
  readonly broker?: BrokerStats;
}

export class Pipeline {
  constructor(
    private readonly run: Run<RecordHub>,
    private readonly exec: PipelineExecutor,
  ) {}

  /** Resolves when a bounded run ends (or the pipeline is stopped); rejects if it failed. */
  get done(): Promise<void> {
    return this.run.done;
  }

  /** The output columns with their DuckDB types. */
  columns(): readonly Column[] {
    return this.exec.setup?.output ?? [];
  }

  /**
   * The records from now on (records nobody consumed yet come first). Subscribes at the call, so
   * consumers attached right after the pipeline starts see every record.
   */
  records(): AsyncIterable<PipelineRecord> {
    const sub = this.run.hub.subscribe({ kind: 'records' });
    return (async function* () {
      for await (const batch of sub) yield* batch.records ?? [];
    })();
  }

  /** The records as Arrow record batches. */
  batches(): AsyncIterable<RecordBatch> {
    const sub = this.run.hub.subscribe({ kind: 'records' });
    return (async function* () {
      for await (const batch of sub) for (const b of tableFromJSON((batch.records ?? []) as PipelineRecord[]).batches) yield b;
    })();
  }

  /** Waits for a bounded run to end and returns its records. */
  async collect(): Promise<PipelineRecord[]> {
    const out: PipelineRecord[] = [];
    for await (const batch of this.run.hub.subscribe({ kind: 'records' })) for (const r of batch.records ?? []) out.push(r);
    return out;
  }

  /** Writes the records to a sink (kafkaSink, tableSink, parquetSink); `done` resolves when all are written. */
  sink(spec: SinkSpec): Promise<SinkHandle> {
    const release = this.exec.gate.hold();
    const handle = attachSink(recordsInput(this.run, this.exec), spec, this.run.options.kafka);
    void handle.then(release, release);
    return this.run.track(handle);
  }

  stats(): PipelineStats {
    const broker = this.run.brokerStats();
    return { ...this.exec.counters, phase: this.run.phase, positions: Object.fromEntries(this.run.processed), unread: this.run.hub.unread, ...(broker ? { broker } : {}) };
  }

  /** The plan, the SQL and the hand-off offsets, as text. */
  explain(): string {
    return explainPipeline(this.run, this.exec);
  }

  /** Records that could not be read: partition, offset, timestamp, key, value, reason. */
  async deadLetters(): Promise<Record<string, Scalar>[]> {
    if (this.run.released) throw new QueryError('query-closed', messages.queryClosed('its dead-letter table'));
    const conn = this.exec.setup?.conn;
    return conn ? readRecords(conn, `SELECT * FROM ${T.dead} ORDER BY partition, "offset"`) : [];
  }

  /** Stops reading; resolves when the record stream has ended. */
  async stop(): Promise<void> {
    await this.run.finish();
  }

  /** Stops and releases DuckDB (the dead-letter table goes with it). */
  async close(): Promise<void> {
    await this.run.close();
  }
}
