/**
 * The closed rows of the changelog's table by key, oldest first. Rows that arrive strictly in
 * snapshot order (window start, then key) — a flushed history's, sorted by DuckDB — are kept in a
 * plain array: no hashing of a million keys, and a snapshot without a sort. The first row out of that
 * order, a delete or a lookup by key builds the map, which then keeps insertion order as before.
 */
import type { ChangelogRow } from './types.js';

export class ClosedRows {
  private list: ChangelogRow[] | undefined = [];
  private map: Map<string, ChangelogRow> | undefined;
  /** Whether the rows are in snapshot order. */
  ordered = true;
  private last: ChangelogRow | undefined;

  get size(): number {
    return this.list ? this.list.length : this.map!.size;
  }

  private toMap(): Map<string, ChangelogRow> {
    if (!this.map) {
      this.map = new Map(this.list!.map((r) => [r.key, r]));
      this.list = undefined;
    }
    return this.map;
  }

  /** Adds a row, or replaces the row of its key (which then moves to the end). */
  set(r: ChangelogRow): void {
    const last = this.last;
    const after = !last || r.windowStart > last.windowStart || (r.windowStart === last.windowStart && r.key > last.key);
    this.last = r;
    // strictly after every row here: its key cannot be here yet
    if (this.list && after) {
      this.list.push(r);
      return;
    }
    const m = this.toMap();
    if (m.delete(r.key) || !after) this.ordered = false;
    m.set(r.key, r);
  }

  get(key: string): ChangelogRow | undefined {
    return this.size === 0 ? undefined : this.toMap().get(key);
  }

  delete(key: string): boolean {
    if (this.size === 0) return false;
    const m = this.toMap();
    const had = m.delete(key);
    if (m.size === 0) this.reset();
    return had;
  }

  /** Drops the oldest rows down to `keep`; returns how many went. */
  evict(keep: number): number {
    const n = Math.max(0, this.size - keep);
    if (n === 0) return 0;
    if (this.list) this.list.splice(0, n);
    else {
      let left = n;
      for (const key of this.map!.keys()) {
        if (left-- === 0) break;
        this.map!.delete(key);
      }
    }
    if (this.size === 0) this.reset();
    return n;
  }

  values(): Iterable<ChangelogRow> {
    return this.list ?? this.map!.values();
  }

  private reset(): void {
    this.list = [];
    this.map = undefined;
    this.ordered = true;
    this.last = undefined;
  }
}
