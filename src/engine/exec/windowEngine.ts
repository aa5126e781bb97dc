/**
 * The incremental window engine over DuckDB for grid windows (tumble, hop, cumulate). History runs
 * as one query; live micro-batches are appended, and only the windows a batch touched (plus those
 * the watermark closed) are recomputed from the raw events they hold — so any DuckDB aggregate is
 * exact. A window is identified by its end. It closes (final row) when the watermark passes its end
 * (plus the allowed lateness in mode 'final'); in mode 'updates' late events within the allowed
 * lateness revise it ('revised' rows); beyond that they go to the late-events table. Events leave
 * the buffer once every window of theirs is past end + lateness. All times here are epoch µs.
 */
import { assertNever } from '../plan/never.js';
import { fixedLengthMs, type GridWindow, type WindowSpec } from '../plan/window.js';
import type { PlanNode } from '../plan/types.js';
import type { ChangeKind } from '../changelog/types.js';
import { afterWatermark, EngineBase, type EngineOptions, type EngineRow, type RowSink } from './engineBase.js';
import { ident } from './duck.js';
import { renderPlan } from './render.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { createSessionTables, SessionEngine } from './sessionEngine.js';
import type { OutputShape } from './shape.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { T } from './tables.js';
import { gridBucketSql, lastWindowEndSql, US_PER_MS, windowBoundsSql, windowedSql, windowsOf } from './windowSql.js';

export type { EmitMode, EngineOptions, EngineRow, EngineStats, LateNote, RowSink } from './engineBase.js';
export type WindowEngine = GridEngine | SessionEngine;

/** The engine of the query's window kind: the grid kinds share one; each data-dependent kind has its own. */
export function createEngine(o: EngineOptions): WindowEngine {
  const w = o.window;
  switch (w.kind) {
    case 'tumble': case 'hop': case 'cumulate': return new GridEngine(o, w);
    case 'session': return new SessionEngine(o, w);
    default: return assertNever(w);
  }
}

/**
 * What the engine of a window kind needs before the plan is checked: its tables, and the relation
 * naming what a live batch touched (window ends for grid kinds, partition keys for sessions).
 */
export async function prepareEngineTables(conn: DuckDBConnection, plan: PlanNode, w: WindowSpec): Promise<{ readonly touched: string }> {
  switch (w.kind) {
    case 'tumble': case 'hop': case 'cumulate': return { touched: T.touched };
    case 'session':
      await createSessionTables(conn, plan, w);
      return { touched: T.sessions };
    default: return assertNever(w);
  }
}

/** Checks the query's output against what its window kind's engine needs (sessions: their partition keys). */
export function checkEngineShape(w: WindowSpec, shape: OutputShape, original: string): void {
  switch (w.kind) {
    case 'tumble': case 'hop': case 'cumulate': return;
    case 'session': {
      // retractions are found per partition key: each result row must carry its keys under their names
      const missing = w.partitionBy.filter((k) => !shape.keys.some((c) => c.toLowerCase() === k.toLowerCase()));
      if (missing.length > 0) throw new QueryError('session-keys', messages.sessionKeysNotGrouped(w.partitionBy.join(', '), missing.join(', '), original));
      return;
    }
    default: return assertNever(w);
  }
}

export class GridEngine extends EngineBase {
  /** Ends of windows with buffered events that have not closed. */
  private readonly open = new Set<number>();
  /** Ends of closed windows still within the allowed lateness (mode 'updates'). */
  private readonly closed = new Set<number>();
  private readonly dirty = new Set<number>();

  constructor(o: EngineOptions, private readonly w: GridWindow) {
    super(o);
  }

  /** Files a window (by end) as open, closed-but-revisable, or nothing once past its lateness. */
  private track(we: number, wm: number): void {
    if (we + this.closeLagUs > wm) this.open.add(we);
    else if (we + this.latenessUs > wm && !this.open.has(we)) this.closed.add(we);
  }

  /** SQL: the event has a window not yet past end + lateness at watermark `wm`. */
  private retained(wm: number): string {
    return afterWatermark(`${lastWindowEndSql(this.w)} + ${this.latenessUs}`, wm);
  }

  async runHistory(relation: string | undefined, endOfInput = false, emit?: RowSink): Promise<EngineRow[]> {
    const rel = relation ?? T.events;
    const time = ident(this.w.timeColumn);
    if (endOfInput) {
      const out: EngineRow[] = [];
      const ends = new Set<number>();
      await this.historyToEnd(rel, (rows) => {
        for (const r of rows) ends.add(r.windowEnd);
        if (emit) emit(rows);
        else for (const r of rows) out.push(r);
      });
      this.stats.finalWindows += ends.size;
      return out;
    }
    await this.historyWatermark(rel, relation !== undefined);
    const wm = this.o.watermarks.advance(this.o.now());
    const rows = await this.rows(renderPlan(this.o.plan, { relation: rel }), (_s, e) => (e * US_PER_MS + this.closeLagUs <= wm ? 'final' : 'provisional'));
    // keep the raw events of windows that may still change, for the live phase to recompute them
    if (relation !== undefined) {
      await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${relation} WHERE ${time} IS NOT NULL AND ${this.retained(wm)}`);
    } else if (Number.isFinite(wm)) {
      await this.o.conn.run(`DELETE FROM ${T.events} WHERE NOT (${this.retained(wm)})`);
    }
    const bounds = await this.o.conn.runAndReadAll(windowBoundsSql(this.w, `SELECT * FROM ${T.events}`));
    for (const [, we] of bounds.getRows()) this.track(Number(we), wm);
    const final = rows.filter((r) => r.kind === 'final');
    this.stats.finalWindows += new Set(final.map((r) => r.windowEnd)).size;
    return this.o.mode === 'final' ? final : rows;
  }

  async liveBatch(partition: number, batch: RecordBatch | undefined): Promise<EngineRow[]> {
    this.stats.batches++;
    const s = await this.typeBatch(batch);
    this.o.watermarks.touch(partition, this.o.now());
    const before = this.o.watermarks.valueUs;
    // the first window of the earliest event is the earliest any event of the batch is in
    const firstEnd = Number.isFinite(s.minUs) ? windowsOf(this.w, s.minUs)[0]![1] : Number.POSITIVE_INFINITY;
    if (before > Number.NEGATIVE_INFINITY && firstEnd + this.latenessUs <= before) {
      await this.lateBatch(before);
    } else {
      // nothing is late: every good row goes in, its windows known from the summary's grid buckets
      if (s.good > 0) {
        const ins = await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${T.batch} WHERE __reason IS NULL`);
        this.stats.events += Number(ins.rowsChanged);
      }
      const ends = new Set<number>();
      for (const min of s.bucketMins) for (const [, we] of windowsOf(this.w, min)) if (we + this.latenessUs > before) ends.add(we);
      for (const we of ends) this.touch(we, before);
      this.observeSummary(s);
    }
    return this.advance();
  }

  /** The windows a batch changed: open ones, or closed ones within the lateness. */
  private touch(we: number, before: number): void {
    this.track(we, before);
    this.dirty.add(we);
  }

  /** A batch with late (event, window) pairs: those kept and counted, the rest in as usual. */
  private async lateBatch(before: number): Promise<void> {
    const windowed = windowedSql(this.w, `SELECT * FROM ${T.batch} WHERE __reason IS NULL`);
    // (event, window) pairs past end + lateness: kept and counted, never silently dropped
    if (Number.isFinite(before)) await this.keepLate(windowed, `epoch_us(window_end) + ${this.latenessUs} <= ${before}`);
    const good = `__reason IS NULL AND ${this.retained(before)}`;
    const ins = await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${T.batch} WHERE ${good}`);
    this.stats.events += Number(ins.rowsChanged);
    const touched = await this.o.conn.runAndReadAll(`SELECT we FROM (${windowBoundsSql(this.w, `SELECT * FROM ${T.batch} WHERE ${good}`)}) WHERE ${afterWatermark(`we + ${this.latenessUs}`, before)}`);
    for (const [we] of touched.getRows()) this.touch(Number(we), before);
    await this.observePartitions(good);
  }

  protected override bucketSql(): (x: string) => string {
    return (x) => gridBucketSql(this.w, x);
  }

  /** Advances the watermark; recomputes closing, revised and (rate-limited) provisional windows. */
  async advance(flush = false): Promise<EngineRow[]> {
    const wm = flush ? this.o.watermarks.flush() : this.o.watermarks.advance(this.o.now());
    const closing = new Set([...this.open].filter((we) => we + this.closeLagUs <= wm));
    const revising = [...this.dirty].filter((we) => this.closed.has(we));
    const pending = [...this.dirty].filter((we) => this.open.has(we) && !closing.has(we));
    const provisional = pending.length > 0 && this.provisionalDue() ? pending : [];
    const recompute = [...closing, ...revising, ...provisional];
    let rows: EngineRow[] = [];
    if (recompute.length > 0) {
      const kindOf = (_s: number, e: number): ChangeKind => (closing.has(e * US_PER_MS) ? 'final' : this.closed.has(e * US_PER_MS) ? 'revised' : 'provisional');
      // with a sink, the rows go out in chunks as DuckDB returns them (a window closing over a
      // million keys never exists as a million rows at once)
      const take = (chunk: EngineRow[]): void => {
        const kept = this.o.mode === 'final' ? chunk.filter((r) => r.kind === 'final') : chunk;
        this.stats.revised += kept.filter((r) => r.kind === 'revised').length;
        if (this.o.emit) this.o.emit(kept);
        else rows = rows.concat(kept);
      };
      await this.eachRows(renderPlan(this.o.plan, { relation: T.events, touched: `(SELECT unnest([${recompute.join(', ')}]::BIGINT[]) AS we)` }), kindOf, take);
    }
    for (const we of recompute) this.dirty.delete(we);
    for (const we of closing) {
      this.open.delete(we);
      if (we + this.latenessUs > wm) this.closed.add(we);
    }
    this.stats.finalWindows += closing.size;
    for (const we of this.closed) if (we + this.latenessUs <= wm) this.closed.delete(we);
    // release the events whose windows are all past end + lateness
    if (closing.size > 0 || revising.length > 0) await this.o.conn.run(`DELETE FROM ${T.events} WHERE NOT (${this.retained(wm)})`);
    return rows;
  }

  protected override fixedSizeMs(): number | undefined {
    return fixedLengthMs(this.w);
  }

  openWindows(): number {
    return this.open.size;
  }
}
