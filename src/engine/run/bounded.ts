/** Bounded runs: when a query stops by itself. */
import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration, type DurationInput } from '../duration.js';

export type UntilInput =
  | 'caughtUp'
  | { readonly caughtUp: true }
  | { readonly duration: DurationInput }
  | { readonly durationMs: number }
  | { readonly finalWindows: number }
  | { readonly offsets: Readonly<Record<number, number>> };

export type Until =
  | { readonly kind: 'unbounded' }
  | { readonly kind: 'caughtUp' }
  | { readonly kind: 'duration'; readonly ms: number }
  | { readonly kind: 'finalWindows'; readonly count: number }
  | { readonly kind: 'offsets'; readonly offsets: ReadonlyMap<number, number> };

export function parseUntil(u: UntilInput | undefined): Until {
  if (u === undefined) return { kind: 'unbounded' };
  if (u === 'caughtUp') return { kind: 'caughtUp' };
  if (typeof u !== 'object' || u === null) throw new ConfigError('invalid-until', messages.invalidUntil(JSON.stringify(u)));
  if ('caughtUp' in u) return { kind: 'caughtUp' };
  if ('durationMs' in u) return { kind: 'duration', ms: parseDuration(u.durationMs, 'until.durationMs') };
  if ('duration' in u) return { kind: 'duration', ms: parseDuration(u.duration, 'until.duration') };
  if ('finalWindows' in u) {
    if (!Number.isInteger(u.finalWindows) || u.finalWindows < 1) throw new ConfigError('invalid-until', messages.invalidUntil(`finalWindows must be a positive integer, got ${u.finalWindows}`));
    return { kind: 'finalWindows', count: u.finalWindows };
  }
  if ('offsets' in u) {
    const entries = Object.entries(u.offsets).map(([p, o]) => [Number(p), Number(o)] as const);
    if (entries.some(([p, o]) => !Number.isInteger(p) || !Number.isInteger(o) || o < 0)) throw new ConfigError('invalid-until', messages.invalidUntil('offsets must map partition numbers to offsets'));
    return { kind: 'offsets', offsets: new Map(entries) };
  }
  throw new ConfigError('invalid-until', messages.invalidUntil(JSON.stringify(u)));
}

// The bound of a run that asks for none: unbounded unless the host set another (./defaults.ts).
let defaultUntil: Until = { kind: 'unbounded' };

/** Sets the bound of runs that ask for none; setRunDefaults (./defaults.ts) is the public way. */
export function setDefaultUntil(until: Until): void {
  defaultUntil = until;
}

/**
 * The bound a run gets: the one asked for, else the run default. A headless kernel sets that
 * default at start-up, so a notebook run in CI always ends; the engine reads no environment.
 */
export function effectiveUntil(asked: UntilInput | undefined): Until {
  return asked === undefined ? defaultUntil : parseUntil(asked);
}

/** The per-partition stop offsets (exclusive) of an offset-bounded run, or undefined. */
export function stopOffsets(until: Until, highAtStart: ReadonlyMap<number, number>): ReadonlyMap<number, number> | undefined {
  switch (until.kind) {
    case 'caughtUp': return highAtStart;
    case 'offsets': return until.offsets;
    case 'unbounded': case 'duration': case 'finalWindows': return undefined;
    default: {
      const never: never = until;
      return never;
    }
  }
}

/** True when every partition with a stop offset has been read up to it. */
export function reached(stop: ReadonlyMap<number, number>, positions: ReadonlyMap<number, number>): boolean {
  for (const [p, end] of stop) if ((positions.get(p) ?? 0) < end) return false;
  return true;
}
