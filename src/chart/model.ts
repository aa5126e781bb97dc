/**
 * The chart's current result: tuples by key, grouped by window so that retention can drop whole
 * windows, oldest first. Every change is reported to listeners as an upsert or a removal by key,
 * which is all a Vega changeset needs.
 */
import type { ChartTuple, WindowStatus } from './changelog.js';

export interface ModelListener {
  upsert(tuple: ChartTuple): void;
  remove(key: string): void;
}

/** Rows and their changes, as the outputs of a chart take them (the model, or its level of detail). */
export interface RowSource {
  listen(l: ModelListener): () => void;
  values(): ChartTuple[];
}

export interface ModelSummary {
  readonly windows: number;
  readonly rows: number;
  readonly byKind: Readonly<Record<WindowStatus, number>>;
  /** Late events over all windows seen, including windows retention has dropped. */
  readonly late: number;
  /** Windows dropped by retention, and rows that arrived for a window older than the retained ones. */
  readonly evicted: number;
  readonly tooOld: number;
}

interface WindowEntry {
  readonly order: number;
  readonly keys: Set<string>;
}

export class ChartModel implements RowSource {
  private readonly tuples = new Map<string, ChartTuple>();
  private readonly windowOf = new Map<string, string>();
  private readonly windows = new Map<string, WindowEntry>();
  /** Window ids sorted by order (window start, or arrival for plain records). */
  private readonly order: string[] = [];
  private readonly lateByKey = new Map<string, number>();
  private readonly listeners = new Set<ModelListener>();
  private lateDropped = 0;
  private evicted = 0;
  private tooOld = 0;

  /** @param retain the number of windows kept (the most recent by start); Infinity keeps all. */
  constructor(readonly retain: number = Infinity) {}

  listen(l: ModelListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  values(): ChartTuple[] {
    return [...this.tuples.values()];
  }

  get size(): number {
    return this.tuples.size;
  }

  get(key: string): ChartTuple | undefined {
    return this.tuples.get(key);
  }

  keys(): IterableIterator<string> {
    return this.tuples.keys();
  }

  /** Inserts or replaces the tuple with this key, in the window `windowId` ordered by `order`. */
  upsert(tuple: ChartTuple, windowId: string, order: number): void {
    if (!this.windows.has(windowId) && this.order.length >= this.retain && order < this.oldestOrder()) {
      this.tooOld++;
      return;
    }
    const previous = this.windowOf.get(tuple.key);
    if (previous !== undefined && previous !== windowId) this.detach(tuple.key);
    this.tuples.set(tuple.key, tuple);
    this.windowOf.set(tuple.key, windowId);
    this.windowEntry(windowId, order).keys.add(tuple.key);
    this.noteLate(tuple.key, tuple.late);
    for (const l of this.listeners) l.upsert(tuple);
    while (this.order.length > this.retain) this.dropWindow(this.order[0] as string);
  }

  /** Removes one key (a retraction). */
  remove(key: string): void {
    if (!this.tuples.has(key)) return;
    this.detach(key);
    for (const l of this.listeners) l.remove(key);
  }

  summary(): ModelSummary {
    const byKind: Record<WindowStatus, number> = { provisional: 0, final: 0, revised: 0 };
    for (const t of this.tuples.values()) byKind[t.kind]++;
    let late = this.lateDropped;
    for (const n of this.lateByKey.values()) late += n;
    return { windows: this.windows.size, rows: this.tuples.size, byKind, late, evicted: this.evicted, tooOld: this.tooOld };
  }

  private oldestOrder(): number {
    const first = this.order[0];
    return first === undefined ? -Infinity : (this.windows.get(first)?.order ?? -Infinity);
  }

  private noteLate(key: string, late: number): void {
    // A row carries the running late count of its window and group: it only grows.
    if (late > (this.lateByKey.get(key) ?? 0)) this.lateByKey.set(key, late);
  }

  private windowEntry(id: string, order: number): WindowEntry {
    let w = this.windows.get(id);
    if (w) return w;
    w = { order, keys: new Set() };
    this.windows.set(id, w);
    // Windows mostly arrive in order: search from the end.
    let i = this.order.length;
    while (i > 0 && (this.windows.get(this.order[i - 1] as string)?.order ?? -Infinity) > order) i--;
    this.order.splice(i, 0, id);
    return w;
  }

  private detach(key: string): void {
    const windowId = this.windowOf.get(key);
    if (windowId === undefined) return;
    this.tuples.delete(key);
    this.windowOf.delete(key);
    this.lateDropped += this.lateByKey.get(key) ?? 0;
    this.lateByKey.delete(key);
    const w = this.windows.get(windowId);
    w?.keys.delete(key);
    if (w && w.keys.size === 0) this.forgetWindow(windowId);
  }

  private dropWindow(id: string): void {
    const w = this.windows.get(id);
    if (!w) return;
    this.evicted++;
    for (const key of [...w.keys]) {
      this.detach(key);
      for (const l of this.listeners) l.remove(key);
    }
    this.forgetWindow(id);
  }

  private forgetWindow(id: string): void {
    if (!this.windows.delete(id)) return;
    const i = this.order.indexOf(id);
    if (i >= 0) this.order.splice(i, 1);
  }
}
