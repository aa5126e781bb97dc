/**
 * A windowed query over an interval join, as the run driver's executor (run/driver.ts):
 *   prepare  each input's columns, buffer, topic and hand-off (side.ts); the joined stream's shape
 *   history  both inputs' histories (files, tables, backlogs) joined in one DuckDB query, one
 *            window-engine history run
 *   live     a micro-batch of one input joins the other's buffer; joined rows go to the window engine
 *   upkeep   buffers drop rows no future row of the other input can match; the joined watermark follows
 */
import { ConfigError } from '../../errors.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { messages } from '../../messages.js';
import type { ChangelogHub } from '../changelog/hub.js';
import { createEngine, type EngineRow, type WindowEngine } from '../exec/windowEngine.js';
import { planJoin, planSource, type IntervalJoinNode, type PlanNode, type WindowSpec } from '../plan/types.js';
import { queryWindow, windowHub, type WindowExecutor } from '../query/executor.js';
import type { RunInput } from '../run/input.js';
import { runKafka } from '../run/input.js';
import type { RunOptions } from '../run/options.js';
import { openConnection, setupQuery, type Setup } from '../run/setup.js';
import type { StreamClock } from '../run/outage.js';
import type { SourceSpec } from '../source/types.js';
import { JoinBuffers } from './buffers.js';
import { explainJoin } from './explain.js';
import { JoinSide } from './side.js';
import { joinShape } from './sql.js';
import { snapshotTables } from './tables.js';
import { JoinedWatermarks } from './watermarks.js';

const T_HISTORY = 'wp_join_history';
const T_OUT = 'wp_join_out';

export class JoinExecutor implements WindowExecutor {
  readonly hub: ChangelogHub;
  readonly source: SourceSpec;
  readonly join: IntervalJoinNode;
  readonly window: WindowSpec;
  readonly hasLive: boolean;
  readonly idleTimeoutMs: number;
  setup: Setup | undefined;
  engine: WindowEngine | undefined;
  sides: [JoinSide, JoinSide] | undefined;
  private buffers: JoinBuffers | undefined;
  private watermarks: JoinedWatermarks | undefined;

  constructor(
    readonly plan: PlanNode,
    readonly options: RunOptions,
  ) {
    this.source = planSource(plan);
    this.join = planJoin(plan)!;
    this.window = queryWindow(plan);
    if (options.until.kind === 'offsets') throw new ConfigError('invalid-until', messages.joinUntilOffsets(this.source.name));
    this.hasLive = planSource(this.join.left).live !== undefined || planSource(this.join.right).live !== undefined;
    this.idleTimeoutMs = this.source.idleTimeoutMs;
    this.hub = windowHub(options, this.hasLive);
  }

  get watermarkUs(): number {
    return this.watermarks?.valueUs ?? Number.NEGATIVE_INFINITY;
  }

  async prepare(context: { readonly clock: StreamClock }): Promise<{ inputs: RunInput[] }> {
    const { conn, owned } = await openConnection(this.options.duckdb, this.options.resources);
    this.setup = { conn, ownsInstance: owned } as Setup;
    // inputs without a live part need no cluster (nor a local broker)
    let client: ReturnType<typeof runKafka> | undefined;
    const kafka = (): ReturnType<typeof runKafka> => (client ??= runKafka(this.options.kafka));
    const a = new JoinSide('a', this.join.left, conn, context.clock);
    const b = new JoinSide('b', this.join.right, conn, context.clock);
    this.sides = [a, b];
    for (const side of this.sides) await side.prepare(kafka);
    const shape = joinShape(this.join, { name: a.source.name, time: a.time, columns: a.out }, { name: b.source.name, time: b.time, columns: b.out });
    this.buffers = new JoinBuffers(conn, this.join, shape, a, b);
    const schema = await this.buffers.schema();
    const joinedSource = { ...this.source, schema };
    const plan = await snapshotTables(conn, this.plan, joinedSource);
    const s = await setupQuery(conn, plan, joinedSource);
    this.setup = { conn, ownsInstance: owned, ...s };
    this.watermarks = new JoinedWatermarks(a.wm, b.wm, this.join.upperMs);
    this.engine = createEngine({
      conn, plan, window: this.window, shape: s.shape, columns: s.columns, time: this.source.time,
      mode: this.options.emit,
      updateIntervalMs: this.options.updateIntervalMs,
      allowedLatenessMs: this.options.allowedLatenessMs,
      watermarks: this.watermarks,
      now: () => context.clock.now(),
    });
    await this.engine.init();
    return { inputs: this.sides.flatMap((side) => (side.input ? [side.input] : [])) };
  }

  private sideOf(input: RunInput): JoinSide {
    return this.sides!.find((s) => s.input === input)!;
  }

  async backlog(input: RunInput, _partition: number, records: RecordBatch): Promise<void> {
    const side = this.sideOf(input);
    await side.loadBacklog(records);
    this.engine!.stats.deadLetters += await side.deadLetters();
  }

  /** File and table histories into their buffers; both buffers joined in one query. */
  async history(endOfInput: boolean): Promise<void> {
    for (const side of this.sides!) if (side.historyRelation !== undefined) await side.loadHistory();
    await this.buffers!.joinHistory(T_HISTORY);
    const rows = await this.engine!.runHistory(T_HISTORY, endOfInput);
    await this.setup!.conn.run(`DROP TABLE ${T_HISTORY}`);
    this.hub.publish(rows, this.watermarkUs, 'history');
    await this.buffers!.prune();
  }

  /** One micro-batch of one input against the other input's buffer. */
  async live(input: RunInput, partition: number, records: RecordBatch): Promise<void> {
    const side = this.sideOf(input);
    await side.loadDelta(partition, records);
    this.engine!.stats.deadLetters += await side.deadLetters();
    this.engine!.stats.late += side.late;
    side.late = 0;
    await this.buffers!.joinDelta(side, T_OUT);
    this.publishLive(await this.engine!.typedBatch(T_OUT));
    // drop buffered rows that can no longer match
    await this.buffers!.prune();
  }

  async tick(): Promise<void> {
    this.publishLive(await this.engine!.advance());
    await this.buffers!.prune();
  }

  async flush(): Promise<void> {
    this.hub.publish(await this.engine!.advance(true), this.watermarkUs, 'flush');
  }

  private publishLive(rows: EngineRow[]): void {
    this.hub.publish(rows, this.watermarkUs, 'live');
  }

  finalWindows(): number {
    return this.engine?.stats.finalWindows ?? 0;
  }

  explainLines(): string[] {
    return explainJoin(this.join, this.sides ?? []);
  }

  close(): void {
    this.engine?.close();
    for (const s of this.sides ?? []) s.close();
  }
}
