/**
 * The window engine for session windows. Sessions depend on the data, so a live batch recomputes
 * every session of the partition keys it touched (all their buffered events) and compares the
 * result with what was emitted: a session replaced by a merge is retracted, a changed one is emitted
 * again. A session closes when the watermark passes its end (plus the allowed lateness in mode
 * 'final'). An event is too late when its time is before watermark − lateness: only then can it
 * never merge with a session whose events were released. All times here are epoch µs.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ChangeKind, Scalar } from '../changelog/types.js';
import { InternalError } from '../../errors.js';
import { planChain, type PlanNode } from '../plan/types.js';
import type { SessionWindow } from '../plan/window.js';
import { afterWatermark, EngineBase, type EngineOptions, type EngineRow, type RowSink } from './engineBase.js';
import { ident, jsToScalar } from './duck.js';
import { renderPlan } from './render.js';
import { SessionBuffer } from './sessionBuffer.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { T } from './tables.js';
import { eventMicros, US_PER_MS } from './windowSql.js';

function windowInput(plan: PlanNode): PlanNode {
  const node = planChain(plan).find((n) => n.kind === 'window');
  if (!node || node.kind !== 'window') throw new InternalError('a session query without a window node');
  return node.input;
}

function keyList(w: SessionWindow): string {
  return w.partitionBy.length > 0 ? w.partitionBy.map(ident).join(', ') : '1 AS "__wp_all"';
}

/** The tables of partition keys a live recompute is limited to (created before the plan is checked). */
export async function createSessionTables(conn: DuckDBConnection, plan: PlanNode, w: SessionWindow): Promise<void> {
  const input = renderPlan(windowInput(plan), { relation: T.events });
  for (const t of [T.touchedKeys, T.dirtyKeys]) await conn.run(`CREATE OR REPLACE TEMP TABLE ${t} AS SELECT DISTINCT ${keyList(w)} FROM (${input}) LIMIT 0`);
}

export class SessionEngine extends EngineBase {
  /** Rows emitted for sessions still within end + lateness, by partition key, then row key. */
  private readonly emitted = new Map<string, Map<string, EngineRow>>();
  private hasDirty = false;
  /** A lower bound of the buffered event times: no session can end before it + gap. */
  private minEventUs = Number.POSITIVE_INFINITY;
  private lastWm = Number.NEGATIVE_INFINITY;
  private readonly liveSql: string;
  private readonly windowInput: PlanNode;
  private readonly keys: string;
  private readonly buffer: SessionBuffer;

  constructor(o: EngineOptions, private readonly w: SessionWindow) {
    super(o);
    this.liveSql = renderPlan(o.plan, { relation: T.events, touched: T.touchedKeys });
    this.windowInput = windowInput(o.plan);
    this.keys = keyList(w);
    this.buffer = new SessionBuffer(o.conn, w, o.columns.map((c) => c.name), this.latenessUs, this.windowInput.kind === 'scan');
  }

  private partitionOf(row: EngineRow): string {
    return JSON.stringify(this.w.partitionBy.map((k) => row.group[k] ?? null));
  }

  private gapUs(): number {
    return this.w.gapMs * US_PER_MS;
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
    // keep the events of sessions that may still grow or be revised
    await this.buffer.retainAll(rel, wm);
    this.minEventUs = await this.minTime(T.events);
    const out = this.o.mode === 'final' ? rows.filter((r) => r.kind === 'final') : rows;
    for (const r of out) if (r.windowEnd * US_PER_MS + this.latenessUs > wm) this.remember(r);
    this.stats.finalWindows += rows.filter((r) => r.kind === 'final').length;
    return out;
  }

  private async minTime(relation: string): Promise<number> {
    const r = await this.o.conn.runAndReadAll(`SELECT min(${eventMicros(this.w)}) FROM ${relation}`);
    const v = r.getRows()[0]?.[0];
    return v === null || v === undefined ? Number.POSITIVE_INFINITY : Number(v);
  }

  private remember(r: EngineRow): void {
    const p = this.partitionOf(r);
    let m = this.emitted.get(p);
    if (!m) this.emitted.set(p, (m = new Map<string, EngineRow>()));
    m.set(r.key, r);
  }

  async liveBatch(partition: number, batch: RecordBatch | undefined): Promise<EngineRow[]> {
    this.stats.batches++;
    await this.typeBatch(batch);
    this.o.watermarks.touch(partition, this.o.now());
    const before = this.o.watermarks.valueUs;
    const t = eventMicros(this.w);
    const tooLate = Number.isFinite(before) ? `${t} < ${before - this.latenessUs}` : 'false';
    if (Number.isFinite(before)) {
      const own = `SELECT *, ${ident(this.w.timeColumn)} AS window_start, make_timestamp(${t} + ${this.gapUs()}) AS window_end FROM ${T.batch} WHERE __reason IS NULL AND ${ident(this.w.timeColumn)} IS NOT NULL`;
      await this.keepLate(own, tooLate);
    }
    const good = `__reason IS NULL AND NOT (${tooLate})`;
    const accepted = `(SELECT * FROM ${T.batch} WHERE ${good})`;
    const ins = await this.o.conn.run(`INSERT INTO ${T.events} (${this.columnList()}) SELECT ${this.columnList()} FROM ${accepted}`);
    this.stats.events += Number(ins.rowsChanged);
    if (Number(ins.rowsChanged) > 0) this.minEventUs = Math.min(this.minEventUs, await this.minTime(accepted));
    // mode 'final' needs no recompute until a session closes; 'updates' shows the changed keys
    if (Number(ins.rowsChanged) > 0 && this.o.mode === 'updates') {
      const input = renderPlan(this.windowInput, { relation: accepted });
      await this.o.conn.run(`INSERT INTO ${T.dirtyKeys} SELECT DISTINCT ${this.keys} FROM (${input})`);
      this.hasDirty = true;
    }
    await this.observePartitions(good);
    return this.advance();
  }

  async advance(flush = false): Promise<EngineRow[]> {
    const wm = flush ? this.o.watermarks.flush() : this.o.watermarks.advance(this.o.now());
    const prev = this.lastWm;
    this.lastWm = wm;
    const conn = this.o.conn;
    // the partition keys to recompute: sessions that close now, and (rate-limited) changed keys
    await conn.run(`DELETE FROM ${T.touchedKeys}`);
    const input = renderPlan(this.windowInput, { relation: T.events });
    // sessions that close now: at or before this watermark, after the previous one; scanned for only
    // once the earliest possible session end (the earliest buffered time + gap) has passed. A session
    // ends gap after its last event, so its key has an event t with t + gap + lag in (prev, wm]: a
    // filter on the buffered times finds those keys (a superset) without sessionizing the buffer
    if (wm > prev && this.minEventUs + this.gapUs() + this.closeLagUs <= wm) {
      const endsAt = `${eventMicros(this.w)} + ${this.gapUs() + this.closeLagUs}`;
      await conn.run(`INSERT INTO ${T.touchedKeys} SELECT DISTINCT ${this.keys} FROM (${input}) WHERE ${ident(this.w.timeColumn)} IS NOT NULL AND NOT (${afterWatermark(endsAt, wm)}) AND ${afterWatermark(endsAt, prev)}`);
    }
    const takeDirty = this.hasDirty && (flush || this.provisionalDue());
    if (takeDirty) {
      await conn.run(`INSERT INTO ${T.touchedKeys} SELECT * FROM ${T.dirtyKeys}`);
      await conn.run(`DELETE FROM ${T.dirtyKeys}`);
      this.hasDirty = false;
    }
    const touchedRows = await conn.runAndReadAll(`SELECT DISTINCT * FROM ${T.touchedKeys}`);
    if (touchedRows.getRows().length === 0) return [];
    const touched = touchedRows.getRowsJS().map((r) => JSON.stringify(this.w.partitionBy.map((_, i) => jsToScalar(r[i] ?? null))));
    const isClosed = (endMs: number, at: number): boolean => endMs * US_PER_MS + this.closeLagUs <= at;
    const fresh = await this.rows(this.liveSql, (_s, e) => (isClosed(e, wm) ? 'final' : 'provisional'));
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
    // sessions of the touched keys that no longer exist were merged away
    for (const p of touched) {
      const m = this.emitted.get(p);
      if (!m) continue;
      for (const [key, r] of m) {
        if (seen.has(key)) continue;
        out.push({ ...r, kind: 'retract' });
        m.delete(key);
      }
    }
    this.stats.revised += out.filter((r) => r.kind === 'revised').length;
    this.stats.retracted += out.filter((r) => r.kind === 'retract').length;
    this.stats.finalWindows += out.filter((r) => r.kind === 'final').length;
    // release sessions past end + lateness, and their events
    let released = false;
    for (const [p, m] of this.emitted) {
      for (const [key, r] of m) {
        if (r.windowEnd * US_PER_MS + this.latenessUs > wm) continue;
        m.delete(key);
        released = true;
      }
      if (m.size === 0) this.emitted.delete(p);
    }
    if (await this.buffer.release(wm, released || out.some((r) => r.kind === 'final'))) this.minEventUs = await this.minTime(T.events);
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
