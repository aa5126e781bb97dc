/**
 * A stateless pipeline, in one place:
 *   1. setup: columns, SQL of both phases (setup.ts)   3. history: one streamed query over files/tables
 *   2. Kafka: topic offsets and the hand-off            4. live: exact-offset reader → micro-batches
 *   5. bounded runs stop ('caughtUp', offsets, duration); the record hub feeds records()/sinks
 * A backlog needs no bulk load here: its records are simply the first micro-batches, labelled history.
 * The hand-off is a windowed query's (query/handoff.ts); a stateless pipeline needs no watermark across it.
 */
import { JSDuckDBValueConverter, type DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import { kafkaClient, resolveBrokers } from '../../kafka/connect.js';
import { ExactReader, type TopicRecord } from '../../kafka/reader.js';
import { offsetsForTime } from '../../kafka/seek.js';
import { fetchTopicOffsets, type TopicOffsets } from '../../kafka/topic.js';
import { ident } from '../exec/duck.js';
import type { PlanNode } from '../plan/types.js';
import { effectiveUntil, reached, stopOffsets, type Until, type UntilInput } from '../run/bounded.js';
import { planHandoff, type Handoff } from '../run/handoff.js';
import { outcome, Serial } from '../run/outcome.js';
import type { SourceSpec } from '../source/types.js';
import { PipelineBatches, toRecords } from './batch.js';
import { statelessSource } from './compile.js';
import { ConsumerGate } from './gate.js';
import { RecordHub, type PipelineRecord } from './hub.js';
import { setupPipeline, type PipelineSetup } from './setup.js';

export interface PipelineOptions {
  /** Stop by itself: 'caughtUp', { offsets }, { duration }. Default: run until stop() (or the end of history without live). */
  readonly until?: UntilInput;
  /** A DuckDB instance to run in (to read its tables); default: a fresh in-memory one. */
  readonly duckdb?: DuckDBInstance;
  /** A kafkajs client; default: the configured cluster or the local broker. */
  readonly kafka?: Kafka;
}

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

export class PipelineRun {
  readonly hub = new RecordHub();
  /** Records wait for the sinks being attached at the start. */
  readonly gate = new ConsumerGate();
  readonly source: SourceSpec;
  readonly until: Until;
  readonly counters: PipelineCounters = { events: 0, records: 0, deadLetters: 0, batches: 0, overlap: 0 };
  readonly processed = new Map<number, number>();
  setup: PipelineSetup | undefined;
  handoff: Handoff | undefined;
  topicAtStart: TopicOffsets | undefined;
  reader: ExactReader | undefined;
  phase: 'starting' | 'history' | 'live' | 'done' = 'starting';
  private batches: PipelineBatches | undefined;
  private readonly steps = new Serial();
  private finishing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly ending = outcome();
  readonly done: Promise<void> = this.ending.promise;

  constructor(
    readonly plan: PlanNode,
    readonly options: PipelineOptions,
  ) {
    this.source = statelessSource(plan);
    this.until = effectiveUntil(options.until);
    if (this.until.kind === 'finalWindows') throw new ConfigError('invalid-until', messages.pipelineUntil('finalWindows'));
  }

  /** Steps 1–2: errors in the SQL or the sources surface here. */
  async prepare(): Promise<void> {
    const s = await setupPipeline(this.plan, this.source, this.options.duckdb);
    this.setup = s;
    const live = this.source.live;
    if (!live) return;
    const kafka = this.options.kafka ?? kafkaClient();
    const brokers = this.options.kafka ? 'the given Kafka client' : resolveBrokers().join(',');
    this.topicAtStart = await fetchTopicOffsets(kafka, live.topic, this.source.name, brokers);
    // the same hand-off as a windowed query's; after a time hand-off, live events at or before the
    // boundary are already in history: the batches skip them (counted as overlap)
    this.handoff = await planHandoff(s.conn, this.source, {
      topic: this.topicAtStart,
      historyRelation: s.historyRelation,
      historyColumns: s.historyColumns,
      seek: (ms) => offsetsForTime(kafka, live.topic, ms),
      defaultMaxGapMs: 0,
    });
    for (const [p, o] of this.handoff.start) this.processed.set(p, o);
    this.batches = new PipelineBatches(s.conn, live, s.columns, this.source.time, s.render, this.handoff.kind === 'time' ? this.handoff.boundaryUs : undefined);
    await this.batches.init();
    this.reader = new ExactReader(kafka, live.topic, this.handoff.start, (p, records) => this.serial(() => this.onRecords(p, records)).catch((e: unknown) => this.fail(e)));
  }

  /** Steps 3–5, in the background, once the consumers attached at the start are ready. */
  async start(): Promise<void> {
    try {
      await this.gate.ready();
      if (this.setup!.historyRelation) {
        this.phase = 'history';
        await this.serial(() => this.runHistory(this.setup!.historyRelation!));
      }
      if (!this.reader) return await this.finish();
      const end = this.handoff!.backlogEnd;
      this.phase = end && !reached(end, this.handoff!.start) ? 'history' : 'live';
      const stop = stopOffsets(this.until, this.topicAtStart!.high);
      if (stop && reached(stop, this.handoff!.start)) return await this.finish();
      await this.reader.start();
      if (this.until.kind === 'duration') this.timer = setTimeout(() => void this.finish(), this.until.ms);
    } catch (e) {
      this.fail(e);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.steps.run(fn);
  }

  /** Step 3: the history query, streamed in chunks so a large history never sits in memory at once. */
  private async runHistory(relation: string): Promise<void> {
    const { conn, render } = this.setup!;
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

  private async emit(records: PipelineRecord[], phase: 'history' | 'live'): Promise<void> {
    this.counters.records += records.length;
    await this.hub.publish({ records, phase });
  }

  /** Step 4: records of one partition, in offset order; backlog records are history. */
  private async onRecords(partition: number, all: readonly TopicRecord[]): Promise<void> {
    if (this.finishing) return;
    const stop = stopOffsets(this.until, this.topicAtStart!.high);
    const limit = stop?.get(partition);
    const records = limit === undefined ? all : all.filter((r) => r.offset < limit);
    const backlogEnd = this.handoff!.backlogEnd?.get(partition) ?? 0;
    const history = records.filter((r) => r.offset < backlogEnd);
    const live = history.length === 0 ? records : records.filter((r) => r.offset >= backlogEnd);
    for (const [part, phase] of [[history, 'history'], [live, 'live']] as const) {
      if (part.length === 0) continue;
      this.counters.batches++;
      const out = await this.batches!.run(part);
      this.counters.events += out.good;
      this.counters.deadLetters += out.dead;
      this.counters.overlap += out.overlap;
      await this.emit(out.records, phase);
    }
    // offsets the reader skipped (control records) count as read, never past the stop offset
    const last = all[all.length - 1];
    if (last) this.processed.set(partition, Math.min(last.offset + 1, limit ?? Number.POSITIVE_INFINITY));
    const end = this.handoff!.backlogEnd;
    if (end && this.phase === 'history' && reached(end, this.processed)) this.phase = 'live';
    if (stop && reached(stop, this.processed)) void this.finish();
  }

  /** Step 5: stop reading and end the record stream. */
  finish(): Promise<void> {
    this.finishing ??= (async () => {
      clearTimeout(this.timer);
      this.hub.stopWaiting();
      try {
        await this.reader?.stop();
        await this.serial(() => Promise.resolve());
        this.phase = 'done';
        this.hub.end();
        this.ending.resolve();
      } catch (e) {
        this.phase = 'done';
        this.hub.end(e);
        this.ending.reject(e);
      } finally {
        this.batches?.close();
      }
    })();
    return this.finishing;
  }

  fail(e: unknown): void {
    if (this.finishing) return;
    this.finishing = (async () => {
      clearTimeout(this.timer);
      await this.reader?.stop().catch(() => undefined);
      this.batches?.close();
      this.phase = 'done';
      this.hub.end(e);
      this.ending.reject(e);
    })();
  }
}
