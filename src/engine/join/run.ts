/**
 * A windowed query over an interval join, in one place:
 *   1. each input: columns, history, topic offsets, its own hand-off and reader (side.ts)
 *   2. history: both inputs' histories joined in one DuckDB query, one window-engine history run
 *   3. live: a micro-batch of one input joins the other's buffer; joined rows go to the window engine
 *   4. buffers drop rows no future row of the other input can match; the joined watermark follows
 *   5. bounded runs stop once both inputs caught up; flush closes every window
 */
import { ConfigError, QueryError } from '../../errors.js';
import { kafkaClient, resolveBrokers } from '../../kafka/connect.js';
import type { TopicRecord } from '../../kafka/reader.js';
import { messages } from '../../messages.js';
import { parseDuration } from '../duration.js';
import { createEngine, type EmitMode, type EngineRow, type WindowEngine } from '../exec/windowEngine.js';
import { planJoin, planSource, planWindow, type PlanNode } from '../plan/types.js';
import { effectiveUntil, reached, type Until } from '../run/bounded.js';
import type { Handoff } from '../run/handoff.js';
import { outcome, Serial } from '../run/outcome.js';
import { ChangelogHub, closedRowsToKeep } from '../changelog/hub.js';
import type { RunOptions } from '../query/run.js';
import { openConnection, setupQuery, type Setup } from '../run/setup.js';
import type { SourceSpec } from '../source/types.js';
import { JoinSide } from './side.js';
import { snapshotTables } from './tables.js';
import { JoinBuffers } from './buffers.js';
import { explainJoin } from './explain.js';
import { joinShape } from './sql.js';
import type { IntervalJoinSpec } from './types.js';
import { JoinedWatermarks } from './watermarks.js';

const T_HISTORY = 'wp_join_history';
const T_OUT = 'wp_join_out';

export class JoinRun {
  readonly hub = new ChangelogHub();
  readonly source: SourceSpec;
  readonly join: IntervalJoinSpec;
  readonly window;
  readonly until: Until;
  readonly flush: boolean;
  readonly mode: EmitMode;
  readonly handoff: Handoff | undefined = undefined;
  setup: Setup | undefined;
  engine: WindowEngine | undefined;
  phase: 'starting' | 'history' | 'live' | 'done' = 'starting';
  sides: [JoinSide, JoinSide] | undefined;
  private buffers: JoinBuffers | undefined;
  private watermarks: JoinedWatermarks | undefined;
  private readonly steps = new Serial();
  private historyDone = false;
  private finishing: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private readonly ending = outcome();
  readonly done: Promise<void> = this.ending.promise;

  constructor(
    readonly plan: PlanNode,
    readonly options: RunOptions,
  ) {
    this.source = planSource(plan);
    this.join = planJoin(plan)!;
    const window = planWindow(plan);
    if (!window) throw new QueryError('no-window', 'the query has no window: add .window(tumble(...)) or TUMBLE(...) in FROM.');
    this.window = window;
    this.until = effectiveUntil(options.until);
    if (this.until.kind === 'offsets') throw new ConfigError('invalid-until', messages.joinUntilOffsets(this.source.name));
    const live = planSource(this.join.left).live !== undefined || planSource(this.join.right).live !== undefined;
    this.flush = options.flush ?? (this.until.kind !== 'unbounded' || !live);
    this.mode = options.emit ?? 'final';
    this.hub.retain(closedRowsToKeep(options.retainClosedRows, this.until.kind === 'unbounded' && live));
  }

  get watermarkUs(): number {
    return this.watermarks?.valueUs ?? Number.NEGATIVE_INFINITY;
  }

  /** Next offset per partition of the left input's topic. */
  get processed(): Map<number, number> {
    return this.sides?.[0].processed ?? new Map();
  }

  /** Step 1, awaited by run(): errors in the query, the join or its inputs surface here. */
  async prepare(): Promise<void> {
    const { conn, owned } = await openConnection(this.options.duckdb, this.options);
    this.setup = { conn, ownsInstance: owned } as Setup;
    let client = this.options.kafka;
    const kafka = (): NonNullable<RunOptions['kafka']> => (client ??= kafkaClient());
    // inputs without a live part need no cluster (nor a local broker)
    const anyLive = [this.join.left, this.join.right].some((p) => planSource(p).live !== undefined);
    const brokers = this.options.kafka ? 'the given Kafka client' : anyLive ? resolveBrokers().join(',') : '';
    const a = new JoinSide('a', this.join.left, conn);
    const b = new JoinSide('b', this.join.right, conn);
    this.sides = [a, b];
    for (const side of this.sides) await side.prepare(kafka, brokers, (p, records) => this.serial(() => this.onRecords(side, p, records)).catch((e: unknown) => this.fail(e)));
    const shape = joinShape(this.join, { name: a.source.name, time: a.time, columns: a.out }, { name: b.source.name, time: b.time, columns: b.out });
    this.buffers = new JoinBuffers(conn, this.join, shape, a, b);
    const schema = await this.buffers.schema();
    const joinedSource = { ...this.source, schema };
    const plan = await snapshotTables(conn, this.plan, joinedSource);
    const s = await setupQuery(conn, plan, joinedSource);
    this.setup = { conn, ownsInstance: owned, ...s };
    this.watermarks = new JoinedWatermarks(a.wm, b.wm, this.join.upperMs * 1000);
    this.engine = createEngine({
      conn, plan, window: this.window, shape: s.shape, columns: s.columns, time: this.source.time,
      mode: this.mode,
      updateIntervalMs: parseDuration(this.options.updateInterval ?? 250, 'updateInterval'),
      allowedLatenessMs: parseDuration(this.options.allowedLateness ?? 0, 'allowedLateness'),
      watermarks: this.watermarks,
      now: () => Date.now(),
    });
    await this.engine.init();
  }

  /** Steps 2–5, in the background after run() resolves. */
  async start(): Promise<void> {
    try {
      const sides = this.sides!;
      this.phase = 'history';
      for (const side of sides) {
        if (side.historyRelation !== undefined) await this.serial(() => side.loadHistory());
        else if (!side.handoff?.backlogEnd || reached(side.handoff.backlogEnd, side.handoff.start)) side.historyDone = true;
      }
      const readers = sides.some((s) => s.reader);
      await this.serial(() => this.maybeFinishHistory(!readers && this.flush));
      if (!readers) return await this.finish();
      if (this.caughtUp()) return await this.finish();
      // both group joins at once: each takes the broker a few seconds
      await Promise.all(sides.map((side) => side.reader?.start() ?? Promise.resolve()));
      const updateMs = this.mode === 'updates' ? parseDuration(this.options.updateInterval ?? 250, 'updateInterval') : 1000;
      const tick = Math.min(1000, Math.max(50, Math.min(this.source.idleTimeoutMs / 4, updateMs)));
      this.timers.push(setInterval(() => void this.serial(() => this.tick()).catch((e: unknown) => this.fail(e)), tick));
      if (this.until.kind === 'duration') this.timers.push(setTimeout(() => void this.finish(), this.until.ms));
    } catch (e) {
      this.fail(e);
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.steps.run(fn);
  }

  /** Step 2: once both inputs' histories are in their buffers, join them in one query. */
  private async maybeFinishHistory(endOfInput = false): Promise<void> {
    const [a, b] = this.sides!;
    if (this.historyDone || !a.historyDone || !b.historyDone) return;
    await this.buffers!.joinHistory(T_HISTORY);
    const rows = await this.engine!.runHistory(T_HISTORY, endOfInput);
    await this.setup!.conn.run(`DROP TABLE ${T_HISTORY}`);
    this.historyDone = true;
    this.phase = 'live';
    this.hub.publish(rows, this.watermarkUs, 'history');
    await this.buffers!.prune();
    for (const side of this.sides!) {
      const pending = side.pending;
      side.pending = [];
      for (const p of new Set(pending.map((r) => r.partition))) await this.liveRecords(side, p, pending.filter((r) => r.partition === p));
    }
  }

  private async onRecords(side: JoinSide, partition: number, all: readonly TopicRecord[]): Promise<void> {
    if (this.finishing) return;
    // caughtUp: never past the end offsets seen at start
    const stop = this.until.kind === 'caughtUp' ? side.topicAtStart?.high.get(partition) : undefined;
    const records = stop === undefined ? all : all.filter((r) => r.offset < stop);
    const last = records[records.length - 1];
    if (last) side.processed.set(partition, last.offset + 1);
    const end = side.handoff?.backlogEnd;
    if (!side.historyDone && end) {
      const history = records.filter((r) => r.offset < (end.get(partition) ?? 0));
      if (history.length > 0) {
        await side.loadBacklog(history);
        this.engine!.stats.deadLetters += await side.deadLetters();
      }
      side.pending.push(...records.filter((r) => r.offset >= (end.get(partition) ?? 0)));
      if (reached(end, side.processed)) {
        side.historyDone = true;
        await this.maybeFinishHistory();
      }
    } else if (records.length > 0) await this.liveRecords(side, partition, records);
    if (this.caughtUp()) void this.finish();
  }

  /** Step 3: one micro-batch of one input against the other input's buffer. */
  private async liveRecords(side: JoinSide, partition: number, records: readonly TopicRecord[]): Promise<void> {
    if (!this.historyDone) {
      side.pending.push(...records);
      return;
    }
    await side.loadDelta(partition, records);
    this.engine!.stats.deadLetters += await side.deadLetters();
    this.engine!.stats.late += side.late;
    side.late = 0;
    await this.buffers!.joinDelta(side, T_OUT);
    this.publishLive(await this.engine!.typedBatch(T_OUT));
    // step 4: drop buffered rows that can no longer match
    await this.buffers!.prune();
  }

  private async tick(): Promise<void> {
    if (!this.historyDone) return;
    this.publishLive(await this.engine!.advance());
    await this.buffers!.prune();
  }

  private publishLive(rows: EngineRow[]): void {
    this.hub.publish(rows, this.watermarkUs, 'live');
    if (this.until.kind === 'finalWindows' && this.engine!.stats.finalWindows >= this.until.count) void this.finish();
  }

  /** Step 5: caughtUp = every live input has read up to its end offsets seen at start. */
  private caughtUp(): boolean {
    if (this.until.kind !== 'caughtUp' || !this.historyDone) return false;
    return this.sides!.every((s) => !s.topicAtStart || reached(s.topicAtStart.high, s.processed));
  }

  explainLines(): string[] {
    return explainJoin(this.join, this.sides ?? []);
  }

  finish(): Promise<void> {
    this.finishing ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      try {
        for (const s of this.sides ?? []) await s.reader?.stop();
        await this.serial(async () => {
          if (this.flush && this.engine && this.historyDone) this.hub.publish(await this.engine.advance(true), this.watermarkUs, 'flush');
        });
        this.phase = 'done';
        this.hub.end();
        this.ending.resolve();
      } catch (e) {
        this.phase = 'done';
        this.hub.end(e);
        this.ending.reject(e);
      } finally {
        this.close();
      }
    })();
    return this.finishing;
  }

  fail(e: unknown): void {
    if (this.finishing) return;
    this.finishing = (async () => {
      for (const t of this.timers) clearInterval(t);
      for (const s of this.sides ?? []) await s.reader?.stop().catch(() => undefined);
      this.close();
      this.phase = 'done';
      this.hub.end(e);
      this.ending.reject(e);
    })();
  }

  private close(): void {
    this.engine?.close();
    for (const s of this.sides ?? []) s.close();
  }
}
