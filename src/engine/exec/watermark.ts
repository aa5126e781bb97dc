/**
 * Watermarks, in epoch µs. Per partition: the highest event time seen minus the bounded
 * out-of-orderness. The query watermark is the minimum over partitions that are not idle, never
 * below what history established, and never moves back.
 */
import type { SourceSpec } from '../source/types.js';
import { US_PER_MS } from './windowSql.js';

export class Watermarks {
  private readonly parts = new Map<number, { maxUs: number; lastSeenMs: number }>();
  private floorUs = Number.NEGATIVE_INFINITY;
  private currentUs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly boundUs: number,
    private readonly idleTimeoutMs: number,
  ) {}

  /** A source's watermarks: its bounded out-of-orderness and idle timeout. */
  static forSource(source: Pick<SourceSpec, 'maxOutOfOrdernessMs' | 'idleTimeoutMs'>): Watermarks {
    return new Watermarks(source.maxOutOfOrdernessMs * US_PER_MS, source.idleTimeoutMs);
  }

  /** Partitions of the live topic: each holds the watermark back until it has data or goes idle. */
  declarePartitions(partitions: readonly number[], nowMs: number): void {
    for (const p of partitions) if (!this.parts.has(p)) this.parts.set(p, { maxUs: Number.NEGATIVE_INFINITY, lastSeenMs: nowMs });
  }

  /** The highest event time of a batch from one partition. */
  observe(partition: number, maxEventUs: number, nowMs: number): void {
    const p = this.parts.get(partition);
    if (p) {
      p.maxUs = Math.max(p.maxUs, maxEventUs);
      p.lastSeenMs = nowMs;
    } else this.parts.set(partition, { maxUs: maxEventUs, lastSeenMs: nowMs });
  }

  /** A partition that delivered records (maybe all bad) is alive even if its event time did not move. */
  touch(partition: number, nowMs: number): void {
    const p = this.parts.get(partition);
    if (p) p.lastSeenMs = nowMs;
  }

  /** History without partition information: its watermark is a floor for every partition. */
  observeGlobal(maxEventUs: number): void {
    this.floorUs = Math.max(this.floorUs, maxEventUs - this.boundUs);
  }

  /** Recomputes the query watermark at wall-clock `nowMs`; returns it (−∞ before any event). */
  advance(nowMs: number): number {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let active = 0;
    for (const p of this.parts.values()) {
      const wm = p.maxUs - this.boundUs;
      max = Math.max(max, wm);
      if (nowMs - p.lastSeenMs >= this.idleTimeoutMs) continue;
      active++;
      min = Math.min(min, wm);
    }
    // all idle: nothing is arriving anywhere, so the most advanced partition speaks for all
    const fromParts = this.parts.size === 0 ? Number.NEGATIVE_INFINITY : active > 0 ? min : max;
    this.currentUs = Math.max(this.currentUs, this.floorUs, fromParts);
    return this.currentUs;
  }

  /** End of input counts as the end of time. */
  flush(): number {
    this.currentUs = Number.POSITIVE_INFINITY;
    return this.currentUs;
  }

  get valueUs(): number {
    return this.currentUs;
  }
}
