/**
 * What a chart's outputs draw. Below the point budget, every row of the model: changes pass straight
 * on to the listeners (the snapshots, the comms to renderers). Above it, the rows the level of
 * detail keeps (plan.ts), chosen by DuckDB (table.ts) at most a few times a second: changes to rows
 * already drawn still pass at once, new rows wait for the next choice, and the listeners get the
 * difference. Back under half the budget (retention dropped windows), every row is drawn again.
 */
import type { ChartTuple } from '../changelog.js';
import type { ChartModel, ModelListener, RowSource } from '../model.js';
import type { LodPlan } from './plan.js';
import { LodTable } from './table.js';

export class LodView implements ModelListener, RowSource {
  private readonly listeners = new Set<ModelListener>();
  /** Keys drawn while reducing; undefined while every row is drawn. */
  private shown: Set<string> | undefined;
  private table: LodTable | undefined;
  /** Rows changed since the table last saw them (null: removed). */
  private pending = new Map<string, ChartTuple | null>();
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly model: ChartModel,
    readonly plan: LodPlan,
    readonly maxPoints: number,
    private readonly events: {
      /** A refresh changed what is drawn (the chart then sends it). */
      changed(): void;
      /** DuckDB failed (the chart then fails). */
      failed(e: unknown): void;
    },
    private readonly intervalMs = 250,
  ) {
    model.listen(this);
  }

  listen(l: ModelListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get reducing(): boolean {
    return this.shown !== undefined;
  }

  /** Rows drawn now. */
  get drawn(): number {
    return this.shown?.size ?? this.model.size;
  }

  values(): ChartTuple[] {
    if (!this.shown) return this.model.values();
    const out: ChartTuple[] = [];
    for (const key of this.shown) {
      const t = this.model.get(key);
      if (t) out.push(t);
    }
    return out;
  }

  upsert(tuple: ChartTuple): void {
    if (!this.shown && this.plan.kind !== 'none' && this.model.size > this.maxPoints) {
      // over the budget: from now on only what the next choice keeps is drawn
      this.shown = new Set(this.model.keys());
      this.shown.delete(tuple.key);
    }
    if (!this.shown) return this.forwardUpsert(tuple);
    this.pending.set(tuple.key, tuple);
    if (this.shown.has(tuple.key)) this.forwardUpsert(tuple);
    this.schedule();
  }

  remove(key: string): void {
    if (!this.shown) return this.forwardRemove(key);
    this.pending.set(key, null);
    if (this.shown.delete(key)) this.forwardRemove(key);
    this.schedule();
  }

  /** Brings what is drawn up to date now (the chart's end, a final snapshot). */
  async settle(): Promise<void> {
    while (this.running) await this.running;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.run();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.table?.close();
    this.table = undefined;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run().catch((e: unknown) => this.events.failed(e));
    }, this.intervalMs);
    this.timer.unref();
  }

  private run(): Promise<void> {
    this.running ??= this.refresh().finally(() => (this.running = undefined));
    return this.running;
  }

  private async refresh(): Promise<void> {
    if (!this.shown || this.closed || this.plan.kind === 'none') return;
    // back under half the budget: draw every row again
    if (this.model.size < this.maxPoints / 2) {
      for (const t of this.model.values()) if (!this.shown.has(t.key)) this.forwardUpsert(t);
      this.shown = undefined;
      this.pending.clear();
      this.table?.close();
      this.table = undefined;
      this.events.changed();
      return;
    }
    let changes = this.pending;
    this.pending = new Map();
    if (!this.table) {
      this.table = await LodTable.create(this.plan);
      changes = new Map([...this.model.values()].map((t) => [t.key, t]));
    }
    await this.table.apply(changes);
    const keep = await this.table.select(this.maxPoints);
    const shown = this.shown;
    if (this.closed || !shown) return;
    for (const key of [...shown]) {
      if (keep.has(key)) continue;
      shown.delete(key);
      this.forwardRemove(key);
    }
    for (const key of keep) {
      const t = shown.has(key) ? undefined : this.model.get(key);
      if (!t) continue;
      shown.add(key);
      this.forwardUpsert(t);
    }
    this.events.changed();
    if (this.pending.size > 0) this.schedule();
  }

  private forwardUpsert(t: ChartTuple): void {
    for (const l of this.listeners) l.upsert(t);
  }

  private forwardRemove(key: string): void {
    for (const l of this.listeners) l.remove(key);
  }
}
