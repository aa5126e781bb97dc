/**
 * The query pipeline, in one place:
 *   1. plan + DuckDB setup (columns, validation)     4. live: exact-offset reader → micro-batches
 *   2. Kafka: topic offsets and the hand-off          5. bounded runs stop; flush closes every window
 *   3. history: one query (files) or backlog load     6. the changelog hub feeds changes()/batches()
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { QueryError } from '../../errors.js';
import { kafkaClient, resolveBrokers } from '../../kafka/connect.js';
import { ExactReader, type TopicRecord } from '../../kafka/reader.js';
import { fetchTopicOffsets, type TopicOffsets } from '../../kafka/topic.js';
import { parseDuration, type DurationInput } from '../duration.js';
import { createEngine, type EmitMode, type EngineRow, type WindowEngine } from '../exec/windowEngine.js';
import { Watermarks } from '../exec/watermark.js';
import { planSource, planWindow, type PlanNode } from '../plan/types.js';
import { effectiveUntil, reached, stopOffsets, type Until, type UntilInput } from '../run/bounded.js';
import type { Handoff } from '../run/handoff.js';
import { outcome, Serial } from '../run/outcome.js';
import { EventBuffer } from './buffer.js';
import { ChangelogHub, closedRowsToKeep } from '../changelog/hub.js';
import { asResourceError, type ResourceOptions } from '../run/resources.js';
import { T } from '../exec/tables.js';
import { liveStart } from '../run/liveStart.js';
import type { Overlap } from '../run/overlap.js';
import { ProvenanceRecorder } from '../provenance/record.js';
import type { Provenance } from '../provenance/types.js';
import { assertProvenance, checkPlan } from '../provenance/verify.js';
import { openConnection, setupQuery, type Setup } from '../run/setup.js';
import { snapshotTables } from '../join/tables.js';

export interface RunOptions extends ResourceOptions {
  /** 'final' (default): one row per window when it closes. 'updates': provisional rows too. */
  readonly emit?: EmitMode;
  /** In 'updates' mode, provisional rows at most this often (default 250 ms). */
  readonly updateInterval?: DurationInput;
  /**
   * How long after a window's end late events are still accepted (default 0). In mode 'updates' they
   * revise the final row ('revised' rows); in mode 'final' a window is emitted once the watermark
   * passes end + lateness. Later events are counted per window and kept in lateEvents().
   */
  readonly allowedLateness?: DurationInput;
  /** Stop by itself: 'caughtUp', { duration }, { finalWindows }, { offsets }. Default: run until stop(). */
  readonly until?: UntilInput;
  /** At the end of a bounded run, close every window (end of input = end of time). Default true for bounded runs. */
  readonly flush?: boolean;
  /**
   * How many closed (final or revised) rows the current table keeps for snapshot(), collect() and a
   * new subscriber's first batch: the most recently closed. Open windows are always kept, and every
   * row still reaches every subscriber. Default: all for bounded runs, 10,000 for unbounded runs.
   */
  readonly retainClosedRows?: number;
  /** A DuckDB instance to run in (to read its tables); default: a fresh in-memory one. */
  readonly duckdb?: DuckDBInstance;
  /** A kafkajs client; default: the configured cluster or the local broker. */
  readonly kafka?: Kafka;
  /** Re-run exactly what a recorded run read (its query.provenance()): same history, offsets and flush. */
  readonly replay?: Provenance;
  /** Where hand-off warnings (a gap) go; default console.warn, which a notebook shows in the cell. */
  readonly onWarning?: (message: string) => void;
}

export class QueryRun {
  readonly hub = new ChangelogHub();
  readonly source;
  readonly window;
  until: Until;
  readonly flush: boolean;
  readonly mode: EmitMode;
  setup: Setup | undefined;
  engine: WindowEngine | undefined;
  handoff: Handoff | undefined;
  topicAtStart: TopicOffsets | undefined;
  reader: ExactReader | undefined;
  /** The time hand-off's overlap: live events at or before the boundary, kept apart. */
  overlap: Overlap | undefined;
  readonly recorder = new ProvenanceRecorder();
  phase: 'starting' | 'history' | 'live' | 'done' = 'starting';
  private watermarks;
  /** The event buffer's size and compaction (buffer.ts). */
  buffer: EventBuffer | undefined;
  private lastTidy = { at: Number.NEGATIVE_INFINITY, finalWindows: -1 };
  private readonly steps = new Serial();
  private pendingLive: TopicRecord[] = [];
  /** Next offset per partition after the records this query has taken (a bounded run stops short of the reader). */
  readonly processed = new Map<number, number>();
  private historyDone = false;
  private finishing: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private waiters: { offsets: ReadonlyMap<number, number>; resolve: () => void }[] = [];
  private readonly ending = outcome();
  readonly done: Promise<void> = this.ending.promise;

  constructor(
    readonly plan: PlanNode,
    readonly options: RunOptions,
  ) {
    this.source = planSource(plan);
    const window = planWindow(plan);
    if (!window) throw new QueryError('no-window', 'the query has no window: add .window(tumble(...)) or TUMBLE(...) in FROM.');
    this.window = window;
    if (options.replay !== undefined) {
      assertProvenance(options.replay);
      checkPlan(options.replay, plan);
    }
    // a replay stops at the recorded end offsets (set once the topic is known)
    this.until = options.replay ? { kind: 'offsets', offsets: new Map() } : effectiveUntil(options.until);
    this.flush = options.replay?.run.flush ?? options.flush ?? (this.until.kind !== 'unbounded' || !this.source.live);
    this.mode = options.emit ?? 'final';
    this.hub.retain(closedRowsToKeep(options.retainClosedRows, this.until.kind === 'unbounded' && this.source.live !== undefined));
    this.watermarks = new Watermarks(this.source.maxOutOfOrdernessMs * 1000, this.source.idleTimeoutMs);
  }

  get watermarkUs(): number {
    return this.watermarks.valueUs;
  }

  /** Steps 1–2, awaited by run(): errors in the query or its sources surface here. */
  async prepare(): Promise<void> {
    const { conn, owned } = await openConnection(this.options.duckdb, this.options);
    // tables the query joins are read as of now (join/tables.ts)
    const plan = await snapshotTables(conn, this.plan, this.source);
    const s = await setupQuery(conn, plan, this.source);
    this.setup = { conn, ownsInstance: owned, ...s };
    this.buffer = new EventBuffer(conn, T.events);
    this.engine = createEngine({
      conn, plan, window: this.window, shape: s.shape, columns: s.columns, time: this.source.time,
      ...(this.source.live ? { live: this.source.live } : {}),
      mode: this.mode,
      updateIntervalMs: parseDuration(this.options.updateInterval ?? 250, 'updateInterval'),
      allowedLatenessMs: parseDuration(this.options.allowedLateness ?? 0, 'allowedLateness'),
      watermarks: this.watermarks,
      now: () => Date.now(),
      divert: (partition) => this.overlap?.divert(partition) ?? Promise.resolve(),
    });
    await this.engine.init();
    const live = this.source.live;
    if (live) {
      const kafka = this.options.kafka ?? kafkaClient();
      const brokers = this.options.kafka ? 'the given Kafka client' : resolveBrokers().join(',');
      this.topicAtStart = await fetchTopicOffsets(kafka, live.topic, this.source.name, brokers);
      const start = await liveStart({ conn, kafka, source: this.source, window: this.window, topic: this.topicAtStart, setup: s, replay: this.options.replay, warn: this.options.onWarning ?? ((m) => console.warn(m)) });
      this.handoff = start.handoff;
      this.overlap = start.overlap;
      if (start.stop) this.until = { kind: 'offsets', offsets: start.stop };
      this.watermarks.declarePartitions([...this.topicAtStart.high.keys()], Date.now());
      for (const [p, o] of this.handoff.start) this.processed.set(p, o);
      // a failure while processing ends the query with that error instead of kafkajs retrying the batch
      this.reader = new ExactReader(kafka, live.topic, this.handoff.start, (p, records) => this.serial(() => this.onRecords(p, records)).catch((e: unknown) => this.fail(e)));
      // provenance: fingerprints of the history (a replay first checks them against the recorded ones)
      await this.recorder.start(conn, this.source, kafka, this.options.replay);
    } else await this.recorder.start(conn, this.source, undefined, this.options.replay);
  }

  /** Steps 3–5, in the background after run() resolves. */
  async start(): Promise<void> {
    try {
      const engine = this.engine!;
      // 3. history: one query over files/tables now; a backlog is loaded by the reader first
      if (this.source.history && this.source.history.kind !== 'kafkaBacklog') await this.serial(() => this.finishHistory(this.setup!.historyRelation, !this.reader && this.flush));
      else if (this.handoff?.kind !== 'backlog') this.historyDone = true;
      if (!this.reader) return await this.finish();
      // 4. live
      this.phase = this.historyDone ? 'live' : 'history';
      if (this.handoff?.backlogEnd && reached(this.handoff.backlogEnd, this.handoff.start)) await this.serial(() => this.finishHistory(undefined));
      if (this.isBounded()) return await this.finish();
      await this.reader.start();
      // ticks close windows of idle partitions and release rate-limited provisional rows
      const updateMs = this.mode === 'updates' ? parseDuration(this.options.updateInterval ?? 250, 'updateInterval') : 1000;
      const tick = Math.min(1000, Math.max(50, Math.min(this.source.idleTimeoutMs / 4, updateMs)));
      this.timers.push(setInterval(() => void this.serial(async () => this.publishLive(await engine.advance())).catch((e: unknown) => this.fail(e)), tick));
      if (this.until.kind === 'duration') this.timers.push(setTimeout(() => void this.finish(), this.until.ms));
    } catch (e) {
      this.fail(e);
    }
  }

  /** After windows closed (else once a second): the buffer's size, compacted when deleted rows dominate. */
  private async tidy(): Promise<void> {
    const finalWindows = this.engine?.stats.finalWindows ?? 0;
    const now = Date.now();
    if (!this.buffer || (finalWindows === this.lastTidy.finalWindows && now - this.lastTidy.at < 1000)) return;
    this.lastTidy = { at: now, finalWindows };
    await this.buffer.check();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.steps.run(async () => {
      const r = await fn();
      await this.tidy();
      return r;
    });
  }

  private async finishHistory(relation: string | undefined, endOfInput = false): Promise<void> {
    const rows = await this.engine!.runHistory(relation, endOfInput);
    this.historyDone = true;
    this.phase = 'live';
    this.hub.publish(rows, this.watermarks.valueUs, 'history');
    if (this.pendingLive.length > 0) {
      const pending = this.pendingLive;
      this.pendingLive = [];
      for (const p of new Set(pending.map((r) => r.partition))) await this.liveRecords(p, pending.filter((r) => r.partition === p));
    }
  }

  private async onRecords(partition: number, all: readonly TopicRecord[]): Promise<void> {
    if (this.finishing) return;
    // bounded by offsets: never read past the stop offset
    const stop = stopOffsets(this.until, this.topicAtStart!.high);
    const records = stop?.has(partition) ? all.filter((r) => r.offset < stop.get(partition)!) : all;
    const last = records[records.length - 1];
    if (last) this.processed.set(partition, last.offset + 1);
    const end = this.handoff?.backlogEnd;
    if (!this.historyDone && end) {
      const history = records.filter((r) => r.offset < (end.get(partition) ?? 0));
      if (history.length > 0) await this.engine!.loadBacklog(history);
      this.pendingLive.push(...records.filter((r) => r.offset >= (end.get(partition) ?? 0)));
      const positions = new Map(this.reader!.positions());
      positions.set(partition, (all[all.length - 1]?.offset ?? -1) + 1);
      if (reached(end, positions)) await this.finishHistory(undefined);
    } else if (records.length > 0) await this.liveRecords(partition, records);
    this.checkBounds(partition, all);
    this.wakeWaiters();
  }

  private async liveRecords(partition: number, records: readonly TopicRecord[]): Promise<void> {
    if (!this.historyDone) {
      this.pendingLive.push(...records);
      return;
    }
    this.publishLive(await this.engine!.liveBatch(partition, records));
  }

  private publishLive(rows: EngineRow[]): void {
    this.hub.publish(rows, this.watermarks.valueUs, 'live');
    for (const n of this.engine!.takeLateNotes()) this.hub.noteLate(n.windowStart, n.windowEnd, n.late, this.watermarks.valueUs);
    if (this.until.kind === 'finalWindows' && this.engine!.stats.finalWindows >= this.until.count) void this.finish();
  }

  /** Resolves once the query has processed every record before these offsets (or has ended). */
  processedUpTo(offsets: ReadonlyMap<number, number>): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ offsets, resolve });
      this.wakeWaiters();
    });
  }

  private wakeWaiters(): void {
    this.waiters = this.waiters.filter((w) => {
      const done = this.phase === 'done' || (this.historyDone && [...w.offsets].every(([p, o]) => (this.processed.get(p) ?? 0) >= o));
      if (done) w.resolve();
      return !done;
    });
  }

  private checkBounds(partition: number, all: readonly TopicRecord[]): void {
    const stop = stopOffsets(this.until, this.topicAtStart!.high);
    if (!stop) return;
    const positions = new Map(this.reader!.positions());
    positions.set(partition, Math.max(positions.get(partition) ?? 0, (all[all.length - 1]?.offset ?? -1) + 1));
    if (this.historyDone && reached(stop, positions)) void this.finish();
  }

  private isBounded(): boolean {
    const stop = stopOffsets(this.until, this.topicAtStart?.high ?? new Map());
    return this.historyDone && stop !== undefined && reached(stop, this.handoff?.start ?? new Map());
  }

  /** Step 5: stop reading, flush if asked, end the changelog. */
  finish(): Promise<void> {
    this.finishing ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      try {
        await this.reader?.stop();
        await this.serial(async () => {
          if (this.flush && this.engine) this.hub.publish(await this.engine.advance(true), this.watermarks.valueUs, 'flush');
        });
        await this.recorder.ready.catch(() => undefined);
        this.phase = 'done';
        this.wakeWaiters();
        this.hub.end();
        this.ending.resolve();
      } catch (cause) {
        const e = asResourceError(cause, this.options.memoryLimit);
        this.phase = 'done';
        this.hub.end(e);
        this.ending.reject(e);
      } finally {
        this.engine?.close();
      }
    })();
    return this.finishing;
  }

  fail(cause: unknown): void {
    if (this.finishing) return;
    const e = asResourceError(cause, this.options.memoryLimit);
    this.finishing = (async () => {
      for (const t of this.timers) clearInterval(t);
      await this.reader?.stop().catch(() => undefined);
      this.engine?.close();
      this.phase = 'done';
      this.wakeWaiters();
      this.hub.end(e);
      this.ending.reject(e);
    })();
  }
}
