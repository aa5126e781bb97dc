/**
 * What every window engine shares: typing raw records into a batch table (bad ones to dead letters),
 * per-partition watermark observations, the backlog load, the allowed lateness and the late counts.
 * All times here are epoch µs.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ChangelogRow } from '../changelog/types.js';
import type { PlanNode } from '../plan/types.js';
import type { WindowSpec } from '../plan/window.js';
import type { LiveSpec } from '../source/types.js';
import { InternalError } from '../../errors.js';
import { ident } from './duck.js';
import { renderPlan } from './render.js';
import { resultRows, streamRows, type KindOf } from './rows.js';
import type { Column } from './recordSql.js';
import { typedRecordsSql } from './recordSql.js';
import type { OutputShape } from './shape.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { Stage } from './stage.js';
import { summarizeBatch, type BatchSummary } from './batchSummary.js';
import { T } from './tables.js';
import type { Watermarks } from './watermark.js';
import { eventMicros, US_PER_MS } from './windowSql.js';

export type EngineRow = Omit<ChangelogRow, 'seq'>;

/** Backlog records typed at once: two of DuckDB's row groups (122,880 rows each), so both cores type. */
export const BACKLOG_TYPING_ROWS = 2 * 122_880;
export type EmitMode = 'final' | 'updates';
/** Takes rows as they are computed, a chunk at a time. */
export type RowSink = (rows: EngineRow[]) => void;

export interface EngineStats {
  events: number;
  deadLetters: number;
  /** (event, window) pairs that arrived beyond the allowed lateness; kept in the late-events table. */
  late: number;
  /** Rows emitted as 'revised' (late events accepted within the allowed lateness). */
  revised: number;
  /** Rows emitted as 'retract' (session windows replaced by a merge). */
  retracted: number;
  batches: number;
  finalWindows: number;
}

export interface EngineOptions {
  readonly conn: DuckDBConnection;
  readonly plan: PlanNode;
  readonly window: WindowSpec;
  readonly shape: OutputShape;
  readonly columns: readonly Column[];
  readonly time: string;
  readonly live?: LiveSpec;
  readonly mode: EmitMode;
  readonly updateIntervalMs: number;
  /** How long after a window's end late events still change it (0: none). */
  readonly allowedLatenessMs: number;
  readonly watermarks: Watermarks;
  readonly now: () => number;
  /** Takes live and flushed rows of grid windows in chunks as they are computed (else liveBatch and advance return them). */
  readonly emit?: RowSink;
  /** Called with each typed batch (table T.batch) before it is used; may move rows out of it (the time hand-off's overlap). */
  readonly divert?: (partition: number) => Promise<void>;
}

/** SQL: µs expression `x` is after watermark `wm` (everything is after −∞, nothing after +∞). */
export function afterWatermark(x: string, wm: number): string {
  return Number.isFinite(wm) ? `${x} > ${wm}` : wm < 0 ? 'true' : 'false';
}

/** A window's late count changed after it closed: its rows are emitted again with the new count. */
export interface LateNote {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly late: number;
}

export abstract class EngineBase {
  readonly stats: EngineStats = { events: 0, deadLetters: 0, late: 0, revised: 0, retracted: 0, batches: 0, finalWindows: 0 };
  protected readonly stage: Stage;
  /** Allowed lateness, µs: state is kept (and revisable) until end + lateness <= watermark. */
  protected readonly latenessUs: number;
  /** How long after its end a window is emitted as final: the lateness in mode 'final', else 0. */
  protected readonly closeLagUs: number;
  /** Late counts per window, `${startMs}|${endMs}` → count. */
  private readonly lateCounts = new Map<string, number>();
  private readonly lateChanged = new Set<string>();
  protected lastProvisionalMs = Number.NEGATIVE_INFINITY;
  /** Backlog records staged and not typed yet. */
  private staged = 0;
  /** Set while typedBatch runs: the relation that stands in for the typed batch. */
  private typedRelation: string | undefined;

  constructor(protected readonly o: EngineOptions) {
    this.stage = new Stage(o.conn, T.stage);
    this.latenessUs = o.allowedLatenessMs * US_PER_MS;
    this.closeLagUs = o.mode === 'final' ? this.latenessUs : 0;
  }

  async init(): Promise<void> {
    if (this.o.live) await this.stage.create();
  }

  /** The history step; with `emit`, a flushed history's rows go to it in chunks (and none are returned). */
  abstract runHistory(relation: string | undefined, endOfInput?: boolean, emit?: RowSink): Promise<EngineRow[]>;
  abstract liveBatch(partition: number, batch: RecordBatch | undefined): Promise<EngineRow[]>;
  abstract advance(flush?: boolean): Promise<EngineRow[]>;
  abstract openWindows(): number;

  protected readonly columnList = (): string => this.o.columns.map((c) => ident(c.name)).join(', ');

  /**
   * Stages raw records and types them into T.batch (or takes the typed relation); bad ones go to the
   * dead-letter table. Returns the batch's summary (batchSummary.ts).
   */
  protected async typeBatch(batch: RecordBatch | undefined): Promise<BatchSummary> {
    if (this.typedRelation !== undefined) {
      await this.o.conn.run(`CREATE OR REPLACE TEMP TABLE ${T.batch} AS SELECT *, CAST(NULL AS VARCHAR) AS __reason FROM ${this.typedRelation}`);
    } else {
      if (!batch) throw new InternalError('typeBatch without records');
      this.stage.append(batch);
      await this.typeStaged();
      await this.o.divert?.(batch.partition);
    }
    const s = await summarizeBatch(this.o.conn, eventMicros(this.o.window), this.bucketSql());
    if (s.bad > 0) await this.keepDead();
    return s;
  }

  /** SQL bucketing a µs expression by the window grid (grid engines), for a batch's touched windows. */
  protected bucketSql(): ((x: string) => string) | undefined {
    return undefined;
  }

  /** Types what the stage holds into T.batch; ends the stage's round. */
  private async typeStaged(): Promise<void> {
    const live = this.o.live;
    if (!live) throw new InternalError('typeBatch without a live part');
    await this.o.conn.run(`CREATE OR REPLACE TEMP TABLE ${T.batch} AS ${typedRecordsSql(live, this.o.columns, this.o.time, this.stage.round())}`);
    await this.stage.clear();
    this.staged = 0;
  }

  /** The batch's bad records into the dead-letter table. */
  private async keepDead(): Promise<void> {
    const dead = await this.o.conn.run(`INSERT INTO ${T.dead} SELECT _partition, _offset, _timestamp, _key, _value, __reason FROM ${T.batch} WHERE __reason IS NOT NULL`);
    this.stats.deadLetters += Number(dead.rowsChanged);
  }

  protected async observePartitions(where: string): Promise<void> {
    const r = await this.o.conn.runAndReadAll(`SELECT _partition, max(${eventMicros(this.o.window)}) FROM ${T.batch} WHERE ${where} GROUP BY 1`);
    const now = this.o.now();
    for (const [p, max] of r.getRows()) if (p !== null && max !== null) this.o.watermarks.observe(Number(p), Number(max), now);
  }

  /** The partitions' event-time maxima of a summary (all its good rows were accepted). */
  protected observeSummary(s: BatchSummary): void {
    const now = this.o.now();
    for (const [p, max] of s.maxUs) this.o.watermarks.observe(p, max, now);
  }

  /**
   * A live batch of rows that are already typed (an interval join's output): `relation` has the event
   * columns; it then goes exactly like liveBatch. Its rows carry no partition of their own.
   */
  async typedBatch(relation: string): Promise<EngineRow[]> {
    this.typedRelation = relation;
    try {
      return await this.liveBatch(-1, undefined);
    } finally {
      this.typedRelation = undefined;
    }
  }

  /** Per-partition watermarks from history (one pass; `count`: the events are not counted yet). */
  protected async historyWatermark(rel: string, count: boolean): Promise<void> {
    const wm = await this.o.conn.runAndReadAll(`SELECT _partition, max(${eventMicros(this.o.window)}), count(*) FROM ${rel} GROUP BY 1`);
    for (const [p, max, n] of wm.getRows()) {
      if (count) this.stats.events += Number(n);
      if (max === null) continue;
      if (p === null) this.o.watermarks.observeGlobal(Number(max));
      else this.o.watermarks.observe(Number(p), Number(max), this.o.now());
    }
  }

  /**
   * History with nothing after it, flushed: every window is final and no state is kept. The rows go
   * to `each` in chunks, ordered by window start and group keys (the changelog's table then needs
   * no sort); the caller counts its final windows.
   */
  protected async historyToEnd(rel: string, each: RowSink): Promise<void> {
    this.o.watermarks.flush();
    const order = ['window_start', ...this.o.shape.keys].map(ident).join(', ');
    await this.eachRows(`SELECT * FROM (${renderPlan(this.o.plan, { relation: rel })}) ORDER BY ${order}`, () => 'final', each);
    const n = await this.o.conn.runAndReadAll(`SELECT count(*) FROM ${rel} WHERE ${ident(this.o.window.timeColumn)} IS NOT NULL`);
    this.stats.events += Number(n.getRows()[0]?.[0] ?? 0);
  }

  /** The window size when every window has the same (the end is then start + size if not selected). */
  protected fixedSizeMs(): number | undefined {
    return undefined;
  }

  /** The rows of a recompute to `each` in chunks of about ROWS_PER_CHUNK (their late counts attached). */
  protected eachRows(sql: string, kindOf: KindOf, each: RowSink): Promise<void> {
    return streamRows(this.o.conn, sql, this.o.shape, kindOf, this.fixedSizeMs(), (rows) => each(this.withLate(rows)));
  }

  /** The rows of a recompute (their late counts attached). */
  protected async rows(sql: string, kindOf: KindOf): Promise<EngineRow[]> {
    return this.withLate(resultRows(await this.o.conn.runAndReadAll(sql), this.o.shape, kindOf, this.fixedSizeMs()));
  }

  /**
   * Backlog records (before the hand-off): staged, and typed into the event buffer once the stage
   * holds BACKLOG_TYPING_ROWS records (or the backlog ends, `endBacklog`): one typing query over
   * several row groups runs on all of DuckDB's threads, where one per fetched batch would run on one.
   */
  async loadBacklog(batch: RecordBatch): Promise<void> {
    this.stage.append(batch);
    this.staged += batch.length;
    if (this.staged >= BACKLOG_TYPING_ROWS) await this.endBacklog();
  }

  /** Types the backlog records still staged into the event buffer. */
  async endBacklog(): Promise<void> {
    if (this.staged === 0) return;
    await this.typeStaged();
    await this.keepDead();
    const ins = await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${T.batch} WHERE __reason IS NULL`);
    this.stats.events += Number(ins.rowsChanged);
  }

  /**
   * Moves the rows of `windowed` (batch rows with window_start/window_end) that `tooLate` selects
   * into the late-events table, and counts them per window.
   */
  protected async keepLate(windowed: string, tooLate: string): Promise<void> {
    const r = await this.o.conn.runAndReadAll(`SELECT epoch_ms(window_start), epoch_ms(window_end), count(*) FROM (${windowed}) WHERE ${tooLate} GROUP BY 1, 2`);
    if (r.getRows().length === 0) return;
    await this.o.conn.run(`INSERT INTO ${T.late} SELECT ${this.columnList()}, window_start, window_end FROM (${windowed}) WHERE ${tooLate}`);
    for (const [s, e, n] of r.getRows()) {
      const key = `${Number(s)}|${Number(e)}`;
      this.lateCounts.set(key, (this.lateCounts.get(key) ?? 0) + Number(n));
      this.lateChanged.add(key);
      this.stats.late += Number(n);
    }
  }

  /** Rows with their window's late count attached (and those windows no longer pending a note). */
  protected withLate(rows: EngineRow[]): EngineRow[] {
    if (this.lateCounts.size === 0) return rows;
    return rows.map((r) => {
      const key = `${r.windowStart}|${r.windowEnd}`;
      const late = this.lateCounts.get(key);
      if (late === undefined) return r;
      this.lateChanged.delete(key);
      return { ...r, late };
    });
  }

  /** Windows whose late count grew since their rows were last emitted. */
  takeLateNotes(): LateNote[] {
    const notes = [...this.lateChanged].map((key) => {
      const [s, e] = key.split('|').map(Number);
      return { windowStart: s!, windowEnd: e!, late: this.lateCounts.get(key)! };
    });
    this.lateChanged.clear();
    return notes;
  }

  /** Whether rate-limited provisional rows may be emitted now (and if so, records that they were). */
  protected provisionalDue(): boolean {
    if (this.o.mode !== 'updates') return false;
    const now = this.o.now();
    if (now - this.lastProvisionalMs < this.o.updateIntervalMs) return false;
    this.lastProvisionalMs = now;
    return true;
  }

  close(): void {
    this.stage.close();
  }
}
