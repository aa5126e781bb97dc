/**
 * The window query over one source, as the run driver's executor (run/driver.ts):
 *   prepare  DuckDB, columns and the plan's check (run/setup.ts); the topic and its hand-off
 *   history  one query over files or tables, or over the backlog loaded batch by batch
 *   live     each micro-batch into the window engine; ticks close windows of idle partitions
 *   flush    the watermark to the end of time: every window closes
 */
import { QueryError } from '../../errors.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { messages } from '../../messages.js';
import { ChangelogHub, closedRowsToKeep } from '../changelog/hub.js';
import { createEngine, type EngineRow, type EngineStats, type WindowEngine } from '../exec/windowEngine.js';
import { T } from '../exec/tables.js';
import { Watermarks } from '../exec/watermark.js';
import { snapshotTables } from '../join/tables.js';
import { planSource, planWindow, type PlanNode, type WindowSpec } from '../plan/types.js';
import { ProvenanceRecorder } from '../provenance/record.js';
import type { HandoffReport, Provenance } from '../provenance/types.js';
import { checkPlan } from '../provenance/verify.js';
import type { SourceSpec } from '../source/types.js';
import type { Executor } from '../run/driver.js';
import { handoffReport } from '../run/handoffReport.js';
import { openInput, runKafka, type RunInput } from '../run/input.js';
import { liveStart } from '../run/liveStart.js';
import type { RunOptions } from '../run/options.js';
import type { Overlap } from '../run/overlap.js';
import { openConnection, setupQuery, type Setup } from '../run/setup.js';
import type { Until } from '../run/bounded.js';
import type { StreamClock } from '../run/outage.js';
import { EventBuffer } from './buffer.js';

/** What a Query reads of its executor: the single-source query here, the interval join (join/executor.ts). */
export interface WindowExecutor extends Executor<ChangelogHub> {
  readonly plan: PlanNode;
  readonly setup: Setup | undefined;
  readonly engine: WindowEngine | undefined;
  /** The query watermark, epoch µs (−∞ before any event). */
  readonly watermarkUs: number;
  /** The event buffer's size and compaction (single-source queries). */
  readonly buffer?: EventBuffer | undefined;
  /** Where live started, with overlap and gaps (single-source queries). */
  handoffReport?(): HandoffReport | undefined;
  /** Extra explain() lines (the join's inputs and their hand-offs). */
  explainLines?(): string[];
  /** An engine without a local window engine (Flink): its counters for stats(). */
  engineStats?(): EngineStats;
  /** The lines explain() shows for the engine instead of the DuckDB SQL of both phases. */
  explainEngine?(): string[];
  /** The run's provenance, when the engine records it itself. */
  provenance?(facts: { readonly emit: string; readonly flush: boolean; readonly until: string; readonly finished: boolean }): Provenance | undefined;
  /** Why processedUpTo() cannot wait on this engine. */
  readonly noProcessedUpTo?: string;
}

/** A query must have a window. */
export function queryWindow(plan: PlanNode): WindowSpec {
  const window = planWindow(plan);
  if (!window) throw new QueryError('no-window', messages.queryNoWindow());
  return window;
}

/** The changelog hub of a windowed run: how many closed rows it keeps for snapshot(). */
export function windowHub(options: RunOptions, live: boolean): ChangelogHub {
  const hub = new ChangelogHub();
  hub.retain(closedRowsToKeep(options.retainClosedRows, options.until.kind === 'unbounded' && live));
  return hub;
}

export class QueryExecutor implements WindowExecutor {
  readonly hub: ChangelogHub;
  readonly source: SourceSpec;
  readonly window: WindowSpec;
  readonly hasLive: boolean;
  readonly idleTimeoutMs: number;
  readonly recorder = new ProvenanceRecorder();
  setup: Setup | undefined;
  engine: WindowEngine | undefined;
  buffer: EventBuffer | undefined;
  input: RunInput | undefined;
  /** The time hand-off's overlap: live events at or before the boundary, kept apart. */
  overlap: Overlap | undefined;
  private readonly watermarks: Watermarks;
  private lastTidy = { at: Number.NEGATIVE_INFINITY, finalWindows: -1 };
  /** The phase rows that the engine streams out are published under. */
  private phase: 'live' | 'flush' = 'live';

  constructor(
    readonly plan: PlanNode,
    readonly options: RunOptions,
  ) {
    this.source = planSource(plan);
    this.window = queryWindow(plan);
    if (options.replay !== undefined) checkPlan(options.replay, plan);
    this.hasLive = this.source.live !== undefined;
    this.idleTimeoutMs = this.source.idleTimeoutMs;
    this.hub = windowHub(options, this.hasLive);
    this.watermarks = Watermarks.forSource(this.source);
  }

  get watermarkUs(): number {
    return this.watermarks.valueUs;
  }

  async prepare(context: { readonly clock: StreamClock }): Promise<{ inputs: RunInput[]; until?: Until }> {
    const { conn, owned } = await openConnection(this.options.duckdb, this.options.resources);
    this.setup = { conn, ownsInstance: owned } as Setup;
    // tables the query joins are read as of now (join/tables.ts)
    const plan = await snapshotTables(conn, this.plan, this.source);
    const s = await setupQuery(conn, plan, this.source);
    this.setup = { conn, ownsInstance: owned, ...s };
    this.buffer = new EventBuffer(conn, T.events);
    this.engine = createEngine({
      conn, plan, window: this.window, shape: s.shape, columns: s.columns, time: this.source.time,
      ...(this.source.live ? { live: this.source.live } : {}),
      mode: this.options.emit,
      updateIntervalMs: this.options.updateIntervalMs,
      allowedLatenessMs: this.options.allowedLatenessMs,
      watermarks: this.watermarks,
      now: () => context.clock.now(),
      divert: (partition) => this.overlap?.divert(partition) ?? Promise.resolve(),
      emit: (rows) => this.hub.publish(rows, this.watermarkUs, this.phase),
    });
    await this.engine.init();
    if (!this.source.live) {
      await this.recorder.start(conn, this.source, undefined, this.options.replay);
      return { inputs: [] };
    }
    const client = runKafka(this.options.kafka);
    let stop: ReadonlyMap<number, number> | undefined;
    this.input = await openInput(this.source, client, async (topic) => {
      const start = await liveStart({ conn, kafka: client.kafka, brokers: client.brokers, source: this.source, window: this.window, topic, setup: s, replay: this.options.replay, warn: this.options.warn });
      this.overlap = start.overlap;
      stop = start.stop;
      return start.handoff;
    });
    this.watermarks.declarePartitions([...this.input.atStart.high.keys()], context.clock.now());
    // provenance: fingerprints of the history (a replay first checks them against the recorded ones)
    await this.recorder.start(conn, this.source, client.kafka, this.options.replay);
    return { inputs: [this.input], ...(stop ? { until: { kind: 'offsets', offsets: stop } as const } : {}) };
  }

  async backlog(_input: RunInput, _partition: number, batch: RecordBatch): Promise<void> {
    await this.engine!.loadBacklog(batch);
  }

  async history(endOfInput: boolean): Promise<void> {
    const h = this.source.history;
    // files and tables: one query; a backlog: loaded already; live only: nothing before it
    const emit = (rows: EngineRow[]): void => this.hub.publish(rows, this.watermarkUs, 'history');
    if (h && h.kind !== 'kafkaBacklog') emit(await this.engine!.runHistory(this.setup!.historyRelation, endOfInput, emit));
    else if (this.input?.handoff.kind === 'backlog') {
      await this.engine!.endBacklog();
      emit(await this.engine!.runHistory(undefined, endOfInput, emit));
    }
  }

  async live(_input: RunInput, partition: number, batch: RecordBatch): Promise<void> {
    this.publishLive(await this.engine!.liveBatch(partition, batch));
  }

  async tick(): Promise<void> {
    this.publishLive(await this.engine!.advance());
  }

  async flush(): Promise<void> {
    this.phase = 'flush';
    this.hub.publish(await this.engine!.advance(true), this.watermarkUs, 'flush');
  }

  private publishLive(rows: EngineRow[]): void {
    this.hub.publish(rows, this.watermarkUs, 'live');
    for (const n of this.engine!.takeLateNotes()) this.hub.noteLate(n.windowStart, n.windowEnd, n.late, this.watermarkUs);
  }

  finalWindows(): number {
    return this.engine?.stats.finalWindows ?? 0;
  }

  /** After windows closed (else once a second): the buffer's size, compacted when deleted rows dominate. */
  async afterStep(): Promise<void> {
    const finalWindows = this.finalWindows();
    const now = Date.now();
    if (!this.buffer || (finalWindows === this.lastTidy.finalWindows && now - this.lastTidy.at < 1000)) return;
    this.lastTidy = { at: now, finalWindows };
    await this.buffer.check();
  }

  async settled(): Promise<void> {
    await this.recorder.ready.catch(() => undefined);
  }

  handoffReport(): HandoffReport | undefined {
    return this.input ? handoffReport(this.input.handoff, this.overlap, this.source.name, this.input.topic) : undefined;
  }

  close(): void {
    this.engine?.close();
  }
}
