/**
 * The changelog hub: numbers rows, keeps the current result table (latest row per key), and feeds
 * any number of subscribers. A new subscriber first receives the current table, then follows.
 */
import type { ChangelogBatch, ChangelogRow } from '../changelog/types.js';
import type { EngineRow } from '../exec/windowEngine.js';

interface Subscriber {
  readonly queue: ChangelogBatch[];
  wake: (() => void) | undefined;
}

export class ChangelogHub {
  private seq = 0;
  private readonly table = new Map<string, ChangelogRow>();
  private readonly subscribers = new Set<Subscriber>();
  private ended = false;
  private failure: unknown;

  publish(rows: readonly EngineRow[], watermarkUs: number, phase: ChangelogBatch['phase']): void {
    if (rows.length === 0) return;
    const numbered = rows.map((r) => ({ ...r, seq: ++this.seq }));
    for (const r of numbered) {
      if (r.kind === 'retract') this.table.delete(r.key);
      else this.table.set(r.key, r);
    }
    const watermark = Number.isFinite(watermarkUs) ? Math.floor(watermarkUs / 1000) : watermarkUs > 0 ? Number.MAX_SAFE_INTEGER : null;
    const batch: ChangelogBatch = { rows: numbered, watermark, phase };
    for (const s of this.subscribers) {
      s.queue.push(batch);
      s.wake?.();
    }
  }

  /** A closed window's late count grew: its current rows are emitted again carrying the count. */
  noteLate(windowStart: number, windowEnd: number, late: number, watermarkUs: number): void {
    const rows = [...this.table.values()].filter((r) => r.windowStart === windowStart && r.windowEnd === windowEnd && (r.late ?? 0) < late);
    this.publish(rows.map(({ seq: _seq, ...r }) => ({ ...r, late })), watermarkUs, 'live');
  }

    end(failure?: unknown): void {
    this.ended = true;
    this.failure = failure;
    for (const s of this.subscribers) s.wake?.();
  }

  /** The current result table, ordered by window start then key. */
  snapshot(): ChangelogRow[] {
    return [...this.table.values()].sort((a, b) => a.windowStart - b.windowStart || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async *batches(): AsyncGenerator<ChangelogBatch> {
    const current = this.snapshot();
    const s: Subscriber = { queue: current.length > 0 ? [{ rows: current, watermark: null, phase: 'history' }] : [], wake: undefined };
    this.subscribers.add(s);
    try {
      for (;;) {
        const next = s.queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (this.ended) {
          if (this.failure !== undefined) throw this.failure instanceof Error ? this.failure : new Error(JSON.stringify(this.failure));
          return;
        }
        await new Promise<void>((resolve) => (s.wake = resolve));
        s.wake = undefined;
      }
    } finally {
      this.subscribers.delete(s);
    }
  }
}
