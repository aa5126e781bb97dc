/**
 * The incremental window engine over DuckDB. History runs as one query; live micro-batches are
 * appended, and only the windows a batch touched (plus those the watermark closed) are recomputed
 * from the raw events they hold — so any DuckDB aggregate is exact. Events leave the buffer once all
 * their windows are final. All times here are epoch µs.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ChangelogRow } from '../changelog/types.js';
import type { PlanNode, WindowSpec } from '../plan/types.js';
import type { LiveSpec } from '../source/types.js';
import { ident } from './duck.js';
import { resultRows } from './rows.js';
import type { Column } from './recordSql.js';
import { typedRecordsSql } from './recordSql.js';
import { renderPlan } from './render.js';
import type { OutputShape } from './shape.js';
import { Stage, type RawRecord } from './stage.js';
import { T } from './tables.js';
import type { Watermarks } from './watermark.js';
import { eventMicros, lastWindowEndSql, US_PER_MS, windowStartsSql } from './windowSql.js';

export type EngineRow = Omit<ChangelogRow, 'seq'>;
export type EmitMode = 'final' | 'updates';

export interface EngineStats {
  events: number;
  deadLetters: number;
  late: number;
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
  readonly watermarks: Watermarks;
  readonly now: () => number;
  /** Called with each typed live batch (table T.batch) before it is used; may move rows out of it (the time hand-off's overlap). */
  readonly divert?: (partition: number) => Promise<void>;
}

export class WindowEngine {
  readonly stats: EngineStats = { events: 0, deadLetters: 0, late: 0, batches: 0, finalWindows: 0 };
  /** Window starts with buffered events that are not final yet. */
  private readonly open = new Set<number>();
  private readonly dirty = new Set<number>();
  private lastProvisionalMs = Number.NEGATIVE_INFINITY;
  private readonly stage: Stage;
  private readonly liveSql: string;

  constructor(private readonly o: EngineOptions) {
    this.stage = new Stage(o.conn, T.stage);
    this.liveSql = renderPlan(o.plan, { relation: T.events, touched: T.touched });
  }

  async init(): Promise<void> {
    if (this.o.live) await this.stage.create();
  }

  private get sizeUs(): number {
    return this.o.window.sizeMs * US_PER_MS;
  }

  /** Stages raw records and types them into T.batch; bad ones go to the dead-letter table. */
  private async typeBatch(records: readonly RawRecord[]): Promise<void> {
    const live = this.o.live;
    if (!live) throw new Error('typeBatch without a live part');
    this.stage.append(records);
    await this.o.conn.run(`CREATE OR REPLACE TEMP TABLE ${T.batch} AS ${typedRecordsSql(live, this.o.columns, this.o.time, T.stage)}`);
    await this.stage.clear();
    const dead = await this.o.conn.run(`INSERT INTO ${T.dead} SELECT _partition, _offset, _timestamp, _key, _value, __reason FROM ${T.batch} WHERE __reason IS NOT NULL`);
    this.stats.deadLetters += Number(dead.rowsChanged);
  }

  private async observePartitions(where: string): Promise<void> {
    const r = await this.o.conn.runAndReadAll(`SELECT _partition, max(${eventMicros(this.o.window)}) FROM ${T.batch} WHERE ${where} GROUP BY 1`);
    const now = this.o.now();
    for (const [p, max] of r.getRows()) if (p !== null && max !== null) this.o.watermarks.observe(Number(p), Number(max), now);
  }

  private readonly columnList = (): string => this.o.columns.map((c) => ident(c.name)).join(', ');

  /** Backlog records (before the hand-off): typed into the event buffer, no window work yet. */
  async loadBacklog(records: readonly RawRecord[]): Promise<void> {
    await this.typeBatch(records);
    const ins = await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${T.batch} WHERE __reason IS NULL`);
    this.stats.events += Number(ins.rowsChanged);
  }

  /**
   * The history phase: one query over `relation` (a file/table relation, or the loaded backlog when
   * undefined). Sets the watermark from history, emits its rows, keeps the events of open windows.
   */
  async runHistory(relation: string | undefined, endOfInput = false): Promise<EngineRow[]> {
    const w = this.o.window;
    const rel = relation ?? T.events;
    if (endOfInput) {
      // nothing follows the history and it is flushed: every window is final, no state to keep
      const wm = this.o.watermarks.flush();
      const rows = await this.resultRows(renderPlan(this.o.plan, { relation: rel }), wm, true);
      this.stats.finalWindows += new Set(rows.map((r) => r.windowStart)).size;
      const n = await this.o.conn.runAndReadAll(`SELECT count(*) FROM ${rel} WHERE ${ident(w.timeColumn)} IS NOT NULL`);
      this.stats.events += Number(n.getRows()[0]?.[0] ?? 0);
      return rows;
    }
    // per-partition watermarks from history (one pass; the backlog is already counted)
    const wm = await this.o.conn.runAndReadAll(`SELECT _partition, max(${eventMicros(w)}), count(*) FROM ${rel} GROUP BY 1`);
    for (const [p, max, n] of wm.getRows()) {
      if (relation !== undefined) this.stats.events += Number(n);
      if (max === null) continue;
      if (p === null) this.o.watermarks.observeGlobal(Number(max));
      else this.o.watermarks.observe(Number(p), Number(max), this.o.now());
    }
    const wmUs = this.o.watermarks.advance(this.o.now());
    const rows = await this.resultRows(renderPlan(this.o.plan, { relation: rel }), wmUs, true);
    // keep the raw events of windows that are still open, for the live phase to recompute them
    const keep = Number.isFinite(wmUs) ? `${lastWindowEndSql(w)} > ${wmUs}` : 'true';
    if (relation !== undefined) {
      await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${relation} WHERE ${ident(w.timeColumn)} IS NOT NULL AND ${keep}`);
    } else if (Number.isFinite(wmUs)) {
      await this.o.conn.run(`DELETE FROM ${T.events} WHERE NOT (${keep})`);
    }
    const starts = await this.o.conn.runAndReadAll(windowStartsSql(w, `SELECT * FROM ${T.events}`));
    for (const [ws] of starts.getRows()) if (Number(ws) + this.sizeUs > wmUs) this.open.add(Number(ws));
    this.stats.finalWindows += new Set(rows.filter((r) => r.kind === 'final').map((r) => r.windowStart)).size;
    return this.o.mode === 'final' ? rows.filter((r) => r.kind === 'final') : rows;
  }

  /** One live micro-batch of records from one partition. */
  async liveBatch(partition: number, records: readonly RawRecord[]): Promise<EngineRow[]> {
    const w = this.o.window;
    this.stats.batches++;
    await this.typeBatch(records);
    await this.o.divert?.(partition);
    this.o.watermarks.touch(partition, this.o.now());
    const before = this.o.watermarks.valueUs;
    // 1. late events: every window they belong to is already final
    const isLate = Number.isFinite(before) ? `${lastWindowEndSql(w)} <= ${before}` : 'false';
    const late = await this.o.conn.run(`INSERT INTO ${T.late} (${this.columnList()}) SELECT ${this.columnList()} FROM ${T.batch} WHERE __reason IS NULL AND ${isLate}`);
    this.stats.late += Number(late.rowsChanged);
    const good = `__reason IS NULL AND NOT (${isLate})`;
    const ins = await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${T.batch} WHERE ${good}`);
    this.stats.events += Number(ins.rowsChanged);
    // 2. the windows this batch touched that are not final
    const touched = await this.o.conn.runAndReadAll(windowStartsSql(w, `SELECT * FROM ${T.batch} WHERE ${good}`));
    for (const [ws] of touched.getRows()) {
      const s = Number(ws);
      if (!(s + this.sizeUs <= before)) {
        this.open.add(s);
        this.dirty.add(s);
      }
    }
    await this.observePartitions(good);
    return this.advance();
  }

  /** Advances the watermark; recomputes newly final windows and (rate-limited) dirty open ones. */
  async advance(flush = false): Promise<EngineRow[]> {
    const wm = flush ? this.o.watermarks.flush() : this.o.watermarks.advance(this.o.now());
    const closing = [...this.open].filter((s) => s + this.sizeUs <= wm);
    const now = this.o.now();
    const provisional = this.o.mode === 'updates' && now - this.lastProvisionalMs >= this.o.updateIntervalMs ? [...this.dirty].filter((s) => s + this.sizeUs > wm) : [];
    if (provisional.length > 0) this.lastProvisionalMs = now;
    const recompute = [...closing, ...provisional];
    if (recompute.length === 0) return [];
    await this.o.conn.run(`DELETE FROM ${T.touched}`);
    await this.o.conn.run(`INSERT INTO ${T.touched} SELECT unnest([${recompute.join(', ')}]::BIGINT[])`);
    const rows = await this.resultRows(this.liveSql, wm, false);
    for (const s of closing) {
      this.open.delete(s);
      this.dirty.delete(s);
    }
    for (const s of provisional) this.dirty.delete(s);
    this.stats.finalWindows += closing.length;
    // release the events whose windows are all final
    if (closing.length > 0) {
      await this.o.conn.run(Number.isFinite(wm) ? `DELETE FROM ${T.events} WHERE ${lastWindowEndSql(this.o.window)} <= ${wm}` : `DELETE FROM ${T.events}`);
    }
    return rows;
  }

  private async resultRows(sql: string, wmUs: number, includeProvisional: boolean): Promise<EngineRow[]> {
    const rows = resultRows(await this.o.conn.runAndReadAll(sql), this.o.shape, this.o.window, wmUs);
    return includeProvisional || this.o.mode !== 'final' ? rows : rows.filter((r) => r.kind === 'final');
  }

  openWindows(): number {
    return this.open.size;
  }

  close(): void {
    this.stage.close();
  }
}
