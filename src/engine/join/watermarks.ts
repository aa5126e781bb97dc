/**
 * The joined stream's watermark: min(wm_a, wm_b − upper). A joined row produced later pairs a new
 * a-row (time ≥ wm_a) or a new b-row (time ≥ wm_b, so its a-row's time ≥ wm_b − upper). The window
 * engine reads it like any watermark; per-partition observations of joined rows mean nothing here.
 */
import { Watermarks } from '../exec/watermark.js';
import { US_PER_MS } from '../exec/windowSql.js';

export class JoinedWatermarks extends Watermarks {
  private current = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly a: Watermarks,
    private readonly b: Watermarks,
    upperMs: number,
  ) {
    super(0, Number.POSITIVE_INFINITY);
    this.upperUs = upperMs * US_PER_MS;
  }

  private readonly upperUs: number;

  override declarePartitions(): void {}
  override observe(): void {}
  override touch(): void {}
  override observeGlobal(): void {}

  override advance(nowMs: number): number {
    const v = Math.min(this.a.advance(nowMs), this.b.advance(nowMs) - this.upperUs);
    this.current = Math.max(this.current, v);
    return this.current;
  }

  override flush(): number {
    this.current = Number.POSITIVE_INFINITY;
    return this.current;
  }

  override get valueUs(): number {
    return this.current;
  }
}
