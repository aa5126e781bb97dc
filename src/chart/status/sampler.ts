/**
 * Samples a query's progress into status lines. It keeps a little history between readings: the
 * events counted (for events/s), when the history phase began (for its ETA) and when the topic's
 * end reached each offset sum (for the lag in seconds: how long ago the topic's end was where the
 * query reads now, as a consumer's time lag).
 */
import type { QueryProgress } from '../../engine/query/progress.js';
import type { StatusLine } from '../protocol.js';
import { statusLine, type Derived } from './line.js';

const RATE_WINDOW_MS = 3000;
const ENDS_KEPT = 1000;

/** What a status line reads: a Query, or anything with the same progress(). */
export interface ProgressSource {
  progress(): QueryProgress;
}

export function isProgressSource(x: unknown): x is ProgressSource {
  return typeof x === 'object' && x !== null && typeof (x as { progress?: unknown }).progress === 'function';
}

export class StatusSampler {
  private readonly counts: { at: number; events: number }[] = [];
  /** The topic's end (summed over partitions) when each new value was first seen, oldest first. */
  private readonly ends: { at: number; end: number }[] = [];
  private historySince: number | undefined;

  constructor(private readonly source: ProgressSource) {}

  sample(): StatusLine {
    const p = this.source.progress();
    this.note(p);
    return statusLine(p, this.derive(p));
  }

  private note(p: QueryProgress): void {
    this.counts.push({ at: p.at, events: p.events });
    while (this.counts.length > 2 && p.at - this.counts[1]!.at >= RATE_WINDOW_MS) this.counts.shift();
    if (p.phase === 'history') this.historySince ??= this.counts.length === 1 ? p.startedAt : p.at;
    const end = p.topic?.end;
    if (end !== undefined && end > (this.ends.at(-1)?.end ?? -1)) {
      this.ends.push({ at: p.at, end });
      if (this.ends.length > ENDS_KEPT) this.ends.shift();
    }
  }

  private derive(p: QueryProgress): Derived {
    const first = this.counts[0]!;
    const rate = p.at - first.at >= 200 ? ((p.events - first.events) * 1000) / (p.at - first.at) : undefined;
    return { ...(rate === undefined ? {} : { rate }), ...this.eta(p, rate), ...this.lag(p) };
  }

  private eta(p: QueryProgress, rate: number | undefined): Pick<Derived, 'etaMs'> {
    const f = p.history?.fraction;
    if (p.phase === 'history' && f !== undefined && f >= 0.01 && f < 1 && this.historySince !== undefined) return { etaMs: ((p.at - this.historySince) * (1 - f)) / f };
    if (p.phase === 'handoff' && p.topic && rate !== undefined && rate > 0) return { etaMs: (p.topic.lag / rate) * 1000 };
    return {};
  }

  private lag(p: QueryProgress): Pick<Derived, 'lagMs'> {
    if (!p.topic) return {};
    if (p.topic.lag === 0) return { lagMs: { ms: 0, atLeast: false } };
    const i = this.ends.findIndex((e) => e.end > p.topic!.position);
    const since = this.ends[Math.max(0, i)];
    return since ? { lagMs: { ms: p.at - since.at, atLeast: i <= 0 } } : {};
  }
}
