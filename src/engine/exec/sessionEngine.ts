/**
 * The window engine for session windows. Sessions depend on the data: the engine keeps the sessions
 * of its buffered events per partition key (sessionState.ts) and merges each live batch's events
 * into them, so it knows which sessions a batch changed and which close, without sessionizing the
 * buffer. It recomputes only those sessions, each from its own events, and compares the rows with
 * what was emitted: a session absorbed by a merge is retracted, a changed one emitted again. A
 * session closes when the watermark passes its end (plus the allowed lateness in mode 'final'). An
 * event is too late when its time is before watermark − lateness: only then can it never merge with
 * a session whose events were released. All times here are epoch µs.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ChangeKind, Scalar } from '../changelog/types.js';
import { InternalError } from '../../errors.js';
import { planChain, type PlanNode } from '../plan/types.js';
import type { SessionWindow } from '../plan/window.js';
import { EngineBase, type EngineOptions, type EngineRow, type RowSink } from './engineBase.js';
import { ident } from './duck.js';
import { renderPlan } from './render.js';
import { retainSessions } from './sessionBuffer.js';
import { createSessionTable, SessionState, type SessionRef, type SessionStep } from './sessionState.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { T } from './tables.js';
import { eventMicros, US_PER_MS } from './windowSql.js';

function windowInput(plan: PlanNode): PlanNode {
  const node = planChain(plan).find((n) => n.kind === 'window');
  if (!node || node.kind !== 'window') throw new InternalError('a session query without a window node');
  return node.input;
}

/** The sessions table a live recompute is limited to (created before the plan is checked). */
export async function createSessionTables(conn: DuckDBConnection, plan: PlanNode, w: SessionWindow): Promise<void> {
  await createSessionTable(conn, windowInput(plan), w);
}

export class SessionEngine extends EngineBase {
  /** Rows emitted for sessions still within end + lateness, by partition key, then row key. */
  private readonly emitted = new Map<string, Map<string, EngineRow>>();
  /** Whether a session changed since its rows were last computed (mode 'updates'). */
  private hasDirty = false;
  private lastWm = Number.NEGATIVE_INFINITY;
  private readonly sessions: SessionState;
  /** The buffer's partition keys are its columns (the window reads the plain scan): a released session's events go by key and time. */
  private readonly eventsByRange: boolean;

  constructor(o: EngineOptions, private readonly w: SessionWindow) {
    super(o);
    const input = windowInput(o.plan);
    this.sessions = new SessionState(o.conn, w, input);
    this.eventsByRange = input.kind === 'scan';
  }

  private partitionOf(row: EngineRow): string {
    return JSON.stringify(this.w.partitionBy.map((k) => row.group[k] ?? null));
  }

  private gapUs(): number {
    return this.w.gapMs * US_PER_MS;
  }

  private retain(rel: string, wm: number): Promise<void> {
    return retainSessions(this.o.conn, this.w, this.o.columns.map((c) => c.name), this.latenessUs, rel, wm);
  }

  async runHistory(relation: string | undefined, endOfInput = false, emit?: RowSink): Promise<EngineRow[]> {
    const rel = relation ?? T.events;
    if (endOfInput) {
      const out: EngineRow[] = [];
      await this.historyToEnd(rel, (rows) => {
        this.stats.finalWindows += rows.length;
        if (emit) emit(rows);
        else for (const r of rows) out.push(r);
      });
      return out;
    }
    await this.historyWatermark(rel, relation !== undefined);
    const wm = this.o.watermarks.advance(this.o.now());
    this.lastWm = wm;
    const rows = await this.rows(renderPlan(this.o.plan, { relation: rel }), (_s, e) => (e * US_PER_MS + this.closeLagUs <= wm ? 'final' : 'provisional'));
    // keep the events of sessions that may still grow or be revised, and those sessions
    await this.retain(rel, wm);
    await this.sessions.rebuild();
    const out = this.o.mode === 'final' ? rows.filter((r) => r.kind === 'final') : rows;
    for (const r of out) if (r.windowEnd * US_PER_MS + this.latenessUs > wm) this.remember(r);
    this.stats.finalWindows += rows.filter((r) => r.kind === 'final').length;
    return out;
  }

  private remember(r: EngineRow): void {
    const p = this.partitionOf(r);
    let m = this.emitted.get(p);
    if (!m) this.emitted.set(p, (m = new Map<string, EngineRow>()));
    m.set(r.key, r);
  }

  async liveBatch(partition: number, batch: RecordBatch | undefined): Promise<EngineRow[]> {
    this.stats.batches++;
    const s = await this.typeBatch(batch);
    this.o.watermarks.touch(partition, this.o.now());
    const before = this.o.watermarks.valueUs;
    const t = eventMicros(this.w);
    // too late: before watermark − lateness (the summary says whether any event is)
    const late = Number.isFinite(before) && s.minUs < before - this.latenessUs;
    const tooLate = late ? `${t} < ${before - this.latenessUs}` : 'false';
    if (late) {
      const own = `SELECT *, ${ident(this.w.timeColumn)} AS window_start, make_timestamp(${t} + ${this.gapUs()}) AS window_end FROM ${T.batch} WHERE __reason IS NULL AND ${ident(this.w.timeColumn)} IS NOT NULL`;
      await this.keepLate(own, tooLate);
    }
    const good = `__reason IS NULL AND NOT (${tooLate})`;
    const accepted = `(SELECT * FROM ${T.batch} WHERE ${good})`;
    const ins = s.good > 0 ? Number((await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${accepted}`)).rowsChanged) : 0;
    this.stats.events += ins;
    if (ins > 0) {
      // mode 'final' needs no rows until a session closes; 'updates' shows the changed sessions
      const dirty = this.o.mode === 'updates';
      await this.sessions.merge(accepted, dirty);
      this.hasDirty ||= dirty;
    }
    if (late) await this.observePartitions(good);
    else this.observeSummary(s);
    return this.advance();
  }

  async advance(flush = false): Promise<EngineRow[]> {
    const wm = flush ? this.o.watermarks.flush() : this.o.watermarks.advance(this.o.now());
    const prev = this.lastWm;
    this.lastWm = wm;
    const takeDirty = this.hasDirty && (flush || this.provisionalDue());
    // nothing closes, is due or is released while the watermark stands
    if (!(wm > prev) && !takeDirty) return [];
    const step: SessionStep = { wm, prev, closeLagUs: this.closeLagUs, latenessUs: this.latenessUs, takeDirty };
    // 1. the sessions that close now, changed ones when due, and those released now
    const listed = await this.sessions.read(step);
    if (takeDirty) this.hasDirty = false;
    const recomputed = listed.filter((s) => s.recompute);
    const out = recomputed.length > 0 ? await this.recompute(step, recomputed) : [];
    this.stats.revised += out.filter((r) => r.kind === 'revised').length;
    this.stats.retracted += out.filter((r) => r.kind === 'retract').length;
    this.stats.finalWindows += out.filter((r) => r.kind === 'final').length;
    // 2. release sessions past end + lateness, their rows and their events
    const released = listed.filter((s) => s.release);
    if (released.length > 0) {
      for (const s of released) {
        const m = this.emitted.get(s.partition);
        if (!m) continue;
        for (const [key, r] of m) if (r.windowEnd * US_PER_MS + this.latenessUs <= wm) m.delete(key);
        if (m.size === 0) this.emitted.delete(s.partition);
      }
      await this.sessions.release(step, this.eventsByRange);
      if (!this.eventsByRange) await this.retain(T.events, wm);
    }
    return out;
  }

  /** New rows of the listed sessions, compared with what was emitted; sessions they absorbed are retracted. */
  private async recompute(step: SessionStep, sessions: readonly SessionRef[]): Promise<EngineRow[]> {
    const { wm, prev } = step;
    const isClosed = (endMs: number, at: number): boolean => endMs * US_PER_MS + this.closeLagUs <= at;
    const sql = renderPlan(this.o.plan, { relation: T.events, touched: this.sessions.recomputeList(step) });
    const fresh = await this.rows(sql, (_s, e) => (isClosed(e, wm) ? 'final' : 'provisional'));
    if (this.o.mode === 'updates') await this.sessions.recomputedNow(step);
    const out: EngineRow[] = [];
    const seen = new Set<string>();
    for (const r of fresh) {
      seen.add(r.key);
      if (this.o.mode === 'final' && r.kind !== 'final') continue;
      const before = this.emitted.get(this.partitionOf(r))?.get(r.key);
      let kind: ChangeKind = r.kind;
      if (kind === 'final' && ((before && before.kind !== 'provisional') || (!before && isClosed(r.windowEnd, prev)))) kind = 'revised';
      if (before && before.kind !== 'retract' && sameValues(before.values, r.values) && (kind === 'provisional' || before.kind !== 'provisional')) continue;
      const row = kind === r.kind ? r : { ...r, kind };
      out.push(row);
      this.remember(row);
    }
    // emitted rows inside a recomputed session that it no longer has: sessions it absorbed (or rows
    // the query now filters out)
    for (const s of sessions) {
      const m = this.emitted.get(s.partition);
      if (!m) continue;
      const startMs = s.startUs / US_PER_MS;
      const endMs = (s.lastUs + this.gapUs()) / US_PER_MS;
      for (const [key, r] of m) {
        if (seen.has(key) || r.windowEnd <= startMs || r.windowStart >= endMs) continue;
        out.push({ ...r, kind: 'retract' });
        m.delete(key);
      }
    }
    return out;
  }

  openWindows(): number {
    let n = 0;
    for (const m of this.emitted.values()) for (const r of m.values()) if (r.kind === 'provisional') n++;
    return n;
  }
}

function sameValues(a: Readonly<Record<string, Scalar>>, b: Readonly<Record<string, Scalar>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
