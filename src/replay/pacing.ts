/**
 * When each row is due: as fast as possible, X times faster than event time (the gaps between
 * events shrink by X), or N rows per second. Times are wall-clock milliseconds from the start.
 */
import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';

export type Pacing = { readonly kind: 'asap' } | { readonly kind: 'speedup'; readonly factor: number } | { readonly kind: 'rate'; readonly perSecond: number };

export function pacingFrom(options: { speedup?: number; rate?: number }): Pacing {
  if (options.speedup !== undefined && options.rate !== undefined) throw new ConfigError('replay-pacing', messages.replayPacing());
  if (options.speedup !== undefined) {
    if (!(options.speedup > 0) || !Number.isFinite(options.speedup)) throw new ConfigError('replay-pacing', messages.invalidRunOption('--speedup', String(options.speedup), 'a positive number, e.g. 60 for one hour of events per minute'));
    return { kind: 'speedup', factor: options.speedup };
  }
  if (options.rate !== undefined) {
    if (!(options.rate > 0) || !Number.isFinite(options.rate)) throw new ConfigError('replay-pacing', messages.invalidRunOption('--rate', String(options.rate), 'a positive number of rows per second, e.g. 500/s'));
    return { kind: 'rate', perSecond: options.rate };
  }
  return { kind: 'asap' };
}

/** Parses `500`, `500/s`, `30/min` into rows per second. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hour))?\s*$/i.exec(text);
  const per = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 } as Record<string, number>;
  const n = m ? Number(m[1]) / (per[(m[2] ?? 's').toLowerCase()] ?? 1) : NaN;
  if (!(n > 0)) throw new ConfigError('replay-pacing', messages.invalidRunOption('--rate', text, 'rows per second such as 500/s (or 30/min)'));
  return n;
}

export class Pacer {
  private firstEventMs: number | undefined;

  constructor(private readonly pacing: Pacing) {}

  /** Milliseconds after the start at which row number `index` (0-based), with event time `eventMs`, is due. */
  dueAt(index: number, eventMs: number): number {
    switch (this.pacing.kind) {
      case 'asap':
        return 0;
      case 'rate':
        return (index / this.pacing.perSecond) * 1000;
      case 'speedup':
        this.firstEventMs ??= eventMs;
        return (eventMs - this.firstEventMs) / this.pacing.factor;
    }
  }
}
