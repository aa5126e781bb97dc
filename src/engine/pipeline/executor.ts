/**
 * A stateless pipeline, as the run driver's executor (run/driver.ts):
 *   prepare  columns, the SQL of both phases checked by DuckDB (setup.ts); the topic and its hand-off
 *   history  one streamed query over files or tables, in chunks
 *   backlog  a topic's backlog runs in large batches (typed on all of DuckDB's threads), labelled history
 *   live     each micro-batch typed and run through the same SQL; the record hub feeds records()/sinks
 * The hand-off is a windowed query's (run/handoff.ts); a stateless pipeline needs no watermark across it.
 */
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
import { PipelineBatches, streamOutput, type OutputTarget } from './batch.js';
import { statelessSource } from './compile.js';
import { ConsumerGate } from './gate.js';
import { RecordHub } from './hub.js';
import type { OutputBatch } from './output.js';
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

  /** The history query, streamed in chunks so a large history never sits in memory at once; or the backlog's last staged records. */
  async history(): Promise<void> {
    if (this.batches && this.batches.staged > 0) await this.batch('history');
    const { conn, render, historyRelation: relation } = this.setup!;
    if (!relation) return;
    const n = await conn.runAndReadAll(`SELECT count(*) FROM ${relation} WHERE ${ident(this.source.time)} IS NOT NULL`);
    this.counters.events += Number(n.getRows()[0]?.[0] ?? 0);
    await streamOutput(conn, render(`(SELECT * FROM ${relation} WHERE ${ident(this.source.time)} IS NOT NULL)`), this.target(), 'history');
  }

  /** Backlog records run in large batches (history() runs the rest). */
  async backlog(_input: RunInput, _partition: number, batch: RecordBatch): Promise<void> {
    if (this.batches!.add(batch)) await this.batch('history');
  }

  live(_input: RunInput, _partition: number, batch: RecordBatch): Promise<void> {
    this.batches!.add(batch);
    return this.batch('live');
  }

  private async batch(phase: 'history' | 'live'): Promise<void> {
    this.counters.batches++;
    const out = await this.batches!.run(this.target(), phase);
    this.counters.events += out.good;
    this.counters.deadLetters += out.dead;
    this.counters.overlap += out.overlap;
  }

  /** The results' way to the hub, in the forms its consumers want. */
  private target(): OutputTarget {
    const columns = this.setup!.output;
    return {
      columns,
      time: columns.some((c) => c.name === this.source.time) ? this.source.time : undefined,
      wants: () => this.hub.wants(),
      emit: (batch: OutputBatch) => {
        this.counters.records += batch.length;
        return this.hub.publish(batch);
      },
    };
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
