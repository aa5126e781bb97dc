/**
 * A stateless pipeline, as the run driver's executor (run/driver.ts):
 *   prepare  columns, the SQL of both phases checked by DuckDB (setup.ts); the topic and its hand-off
 *   history  one streamed query over files or tables, in chunks
 *   backlog  a topic's backlog needs no bulk load: its records are simply micro-batches, labelled history
 *   live     each micro-batch typed and run through the same SQL; the record hub feeds records()/sinks
 * The hand-off is a windowed query's (run/handoff.ts); a stateless pipeline needs no watermark across it.
 */
import { JSDuckDBValueConverter } from '@duckdb/node-api';
import { ConfigError } from '../../errors.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { offsetsForTime } from '../../kafka/seek.js';
import { messages } from '../../messages.js';
import { ident } from '../exec/duck.js';
import type { PlanNode } from '../plan/types.js';
import type { Executor } from '../run/driver.js';
import { planHandoff } from '../run/handoff.js';
import { openInput, runKafka, type RunInput } from '../run/input.js';
import type { RunOptions } from '../run/options.js';
import type { SourceSpec } from '../source/types.js';
import { PipelineBatches, toRecords } from './batch.js';
import { statelessSource } from './compile.js';
import { ConsumerGate } from './gate.js';
import { RecordHub, type PipelineRecord } from './hub.js';
import { setupPipeline, type PipelineSetup } from './setup.js';

export interface PipelineCounters {
  /** Input records read (good ones: history rows and typed Kafka records). */
  events: number;
  /** Output records emitted. */
  records: number;
  deadLetters: number;
  /** Live micro-batches. */
  batches: number;
  /** Live records at or before a time hand-off's boundary: already in history, skipped. */
  overlap: number;
}

const HISTORY_BATCH = 10_000;

export class PipelineExecutor implements Executor<RecordHub> {
  readonly hub = new RecordHub();
  /** Records wait for the sinks being attached at the start. */
  readonly gate = new ConsumerGate();
  readonly source: SourceSpec;
  readonly hasLive: boolean;
  readonly idleTimeoutMs: number;
  readonly counters: PipelineCounters = { events: 0, records: 0, deadLetters: 0, batches: 0, overlap: 0 };
  setup: PipelineSetup | undefined;
  input: RunInput | undefined;
  private batches: PipelineBatches | undefined;

  constructor(
    readonly plan: PlanNode,
    readonly options: RunOptions,
  ) {
    this.source = statelessSource(plan);
    if (options.until.kind === 'finalWindows') throw new ConfigError('invalid-until', messages.pipelineUntil('finalWindows'));
    this.hasLive = this.source.live !== undefined;
    this.idleTimeoutMs = this.source.idleTimeoutMs;
  }

  async prepare(): Promise<{ inputs: RunInput[] }> {
    const s = await setupPipeline(this.plan, this.source, this.options.duckdb);
    this.setup = s;
    const live = this.source.live;
    if (!live) return { inputs: [] };
    const client = runKafka(this.options.kafka);
    // the same hand-off as a windowed query's; after a time hand-off, live events at or before the
    // boundary are already in history: the batches skip them (counted as overlap)
    const input = await openInput(this.source, client, (topic) => planHandoff(s.conn, this.source, {
      topic,
      historyRelation: s.historyRelation,
      historyColumns: s.historyColumns,
      seek: (ms) => offsetsForTime(client.kafka, live.topic, ms, client.brokers),
      defaultMaxGapMs: 0,
    }));
    this.input = input;
    this.batches = new PipelineBatches(s.conn, live, s.columns, this.source.time, s.render, input.handoff.kind === 'time' ? input.handoff.boundaryUs : undefined);
    await this.batches.init();
    return { inputs: [input] };
  }

  ready(): Promise<void> {
    return this.gate.ready();
  }

  /** The history query, streamed in chunks so a large history never sits in memory at once. */
  async history(): Promise<void> {
    const { conn, render, historyRelation: relation } = this.setup!;
    if (!relation) return;
    const n = await conn.runAndReadAll(`SELECT count(*) FROM ${relation} WHERE ${ident(this.source.time)} IS NOT NULL`);
    this.counters.events += Number(n.getRows()[0]?.[0] ?? 0);
    const result = await conn.stream(render(`(SELECT * FROM ${relation} WHERE ${ident(this.source.time)} IS NOT NULL)`));
    const names = result.columnNames();
    let pending: PipelineRecord[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const r of toRecords(names, chunk.convertColumns(JSDuckDBValueConverter))) pending.push(r);
      if (pending.length >= HISTORY_BATCH) {
        await this.emit(pending, 'history');
        pending = [];
      }
    }
    await this.emit(pending, 'history');
  }

  backlog(_input: RunInput, _partition: number, batch: RecordBatch): Promise<void> {
    return this.batch(batch, 'history');
  }

  live(_input: RunInput, _partition: number, batch: RecordBatch): Promise<void> {
    return this.batch(batch, 'live');
  }

  private async batch(records: RecordBatch, phase: 'history' | 'live'): Promise<void> {
    this.counters.batches++;
    const out = await this.batches!.run(records);
    this.counters.events += out.good;
    this.counters.deadLetters += out.dead;
    this.counters.overlap += out.overlap;
    await this.emit(out.records, phase);
  }

  private async emit(records: PipelineRecord[], phase: 'history' | 'live'): Promise<void> {
    this.counters.records += records.length;
    await this.hub.publish({ records, phase });
  }

  /** A pipeline has no windows to close. */
  async flush(): Promise<void> {}

  /** Publishing no longer waits for slow subscribers: they get the rest. */
  stopping(): void {
    this.hub.stopWaiting();
  }

  close(): void {
    this.batches?.close();
  }
}
