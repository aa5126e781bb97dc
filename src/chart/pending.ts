import type { ChartTuple } from './changelog.js';

/**
 * Model changes not yet passed on, coalesced by key: the last upsert or removal of a key wins.
 * A renderer (the comm to the frontend, the snapshot thread) drains them as one changeset.
 */
export class PendingChanges {
  private readonly byKey = new Map<string, ChartTuple | null>();

  get size(): number {
    return this.byKey.size;
  }

  upsert(tuple: ChartTuple): void {
    this.byKey.set(tuple.key, tuple);
  }

  remove(key: string): void {
    this.byKey.set(key, null);
  }

  clear(): void {
    this.byKey.clear();
  }

  /** The coalesced changeset, emptying the pending set. */
  drain(): { upsert: ChartTuple[]; remove: string[] } {
    const upsert: ChartTuple[] = [];
    const remove: string[] = [];
    for (const [key, t] of this.byKey) {
      if (t) upsert.push(t);
      else remove.push(key);
    }
    this.byKey.clear();
    return { upsert, remove };
  }
}
