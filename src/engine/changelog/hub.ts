/**
 * The changelog hub: numbers rows, keeps the current result table (latest row per key), and feeds
 * any number of subscribers. A new subscriber first receives the current table, then follows.
 *
 * The table keeps every open window's rows, but only the `retainClosed` most recently closed rows
 * (final or revised): an unbounded run would otherwise keep a row per window and key forever.
 * Every row still reaches every subscriber; only snapshot() and a new subscriber's first batch
 * are limited.
 */
import type { ChangelogBatch, ChangelogRow } from './types.js';
import { asError, ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { EngineRow } from '../exec/windowEngine.js';
import { ClosedRows } from './closedRows.js';

/**
 * A row numbered for the changelog. Rows of a recompute are made for one publish (exec/rows.ts gives
 * them a seq field to fill): they are numbered in place, since a copy per row costs a million
 * objects when a window closes over a million keys; any other row is copied by name.
 */
function withSeq(r: EngineRow, seq: number): ChangelogRow {
  if ('seq' in r && (r as ChangelogRow).seq === 0) {
    (r as { seq: number }).seq = seq;
    return r as ChangelogRow;
  }
  const row: ChangelogRow = { kind: r.kind, key: r.key, windowStart: r.windowStart, windowEnd: r.windowEnd, group: r.group, values: r.values, seq };
  return r.late === undefined ? row : { ...row, late: r.late };
}

/** Closed rows an unbounded run keeps in its table by default (bounded runs keep all, for collect()). */
export const DEFAULT_RETAINED_CLOSED_ROWS = 10_000;

/** The retention of a run: the option when given, else all for bounded runs and the default for unbounded ones. */
export function closedRowsToKeep(option: number | undefined, unbounded: boolean): number {
  if (option === undefined) return unbounded ? DEFAULT_RETAINED_CLOSED_ROWS : Number.POSITIVE_INFINITY;
  if (option !== Number.POSITIVE_INFINITY && !(Number.isInteger(option) && option >= 0)) throw new ConfigError('invalid-retain-closed-rows', messages.invalidRetainClosedRows(String(option)));
  return option;
}

interface Subscriber {
  readonly queue: ChangelogBatch[];
  wake: (() => void) | undefined;
}

export class ChangelogHub {
  private seq = 0;
  /** Rows of open windows (provisional), by key. */
  private readonly open = new Map<string, ChangelogRow>();
  /** Rows of closed windows by key, oldest closed first. */
  private readonly closed = new ClosedRows();
  private retainClosed = Number.POSITIVE_INFINITY;
  /** Closed rows dropped from the table by the retention limit. */
  evicted = 0;
  private readonly subscribers = new Set<Subscriber>();
  private ended = false;
  private failure: unknown;

  publish(rows: readonly EngineRow[], watermarkUs: number, phase: ChangelogBatch['phase']): void {
    if (rows.length === 0) return;
    const numbered = rows.map((r) => withSeq(r, ++this.seq));
    // with a limit, the earliest windows of a batch are the first to go
    for (const r of Number.isFinite(this.retainClosed) ? [...numbered].sort((a, b) => a.windowStart - b.windowStart) : numbered) this.keep(r);
    const watermark = Number.isFinite(watermarkUs) ? Math.floor(watermarkUs / 1000) : watermarkUs > 0 ? Number.MAX_SAFE_INTEGER : null;
    const batch: ChangelogBatch = { rows: numbered, watermark, phase };
    for (const s of this.subscribers) {
      s.queue.push(batch);
      s.wake?.();
    }
  }

  /** How many closed rows the table keeps (Infinity: all). */
  retain(closedRows: number): void {
    this.retainClosed = closedRows;
    this.trim();
  }

  get size(): number {
    return this.open.size + this.closed.size;
  }

  private keep(r: ChangelogRow): void {
    if (this.open.size > 0) this.open.delete(r.key);
    if (r.kind === 'provisional') {
      this.closed.delete(r.key);
      this.open.set(r.key, r);
    } else if (r.kind === 'retract') this.closed.delete(r.key);
    else {
      this.closed.set(r);
      if (this.closed.size > this.retainClosed) this.trim();
    }
  }

  private trim(): void {
    if (Number.isFinite(this.retainClosed)) this.evicted += this.closed.evict(this.retainClosed);
  }

  /** A closed window's late count grew: its current rows are emitted again carrying the count. */
  noteLate(windowStart: number, windowEnd: number, late: number, watermarkUs: number): void {
    const rows = [...this.open.values(), ...this.closed.values()].filter((r) => r.windowStart === windowStart && r.windowEnd === windowEnd && (r.late ?? 0) < late);
    this.publish(rows.map(({ seq: _seq, ...r }) => ({ ...r, late })), watermarkUs, 'live');
  }

  end(failure?: unknown): void {
    this.ended = true;
    this.failure = failure;
    for (const s of this.subscribers) s.wake?.();
  }

  /** The current result table, ordered by window start then key. */
  snapshot(): ChangelogRow[] {
    // rows that arrived in order (a flushed history's, sorted by DuckDB) need no sort
    if (this.open.size === 0 && this.closed.ordered) return [...this.closed.values()];
    // keys grouped by window start, each group sorted natively (a comparator call per comparison
    // costs several times more with a million rows); the same order as comparing the key strings
    const byStart = new Map<number, string[]>();
    for (const table of [this.open.values(), this.closed.values()]) {
      for (const r of table) {
        const keys = byStart.get(r.windowStart);
        if (keys) keys.push(r.key);
        else byStart.set(r.windowStart, [r.key]);
      }
    }
    const out: ChangelogRow[] = [];
    for (const start of [...byStart.keys()].sort((a, b) => a - b)) for (const key of byStart.get(start)!.sort()) out.push(this.open.get(key) ?? this.closed.get(key)!);
    return out;
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
          if (this.failure !== undefined) throw asError(this.failure);
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
