/** Window constructors for the builder: tumble, hop, cumulate and session. */
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration, type DurationInput } from '../duration.js';
import type { WindowSpec } from '../plan/window.js';

/** A window over time column `C`. */
export type WindowDef<C extends string = string> = WindowSpec & { readonly __time?: C };

export function tumble<C extends string>(time: C, size: DurationInput, options: { offset?: DurationInput } = {}): WindowDef<C> {
  const sizeMs = parseDuration(size, 'window size');
  if (sizeMs <= 0) throw new QueryError('invalid-window', messages.windowSize(String(size)));
  return { kind: 'tumble', timeColumn: time, sizeMs, offsetMs: parseDuration(options.offset ?? 0, 'window offset') };
}

export function hop<C extends string>(time: C, options: { size: DurationInput; slide: DurationInput; offset?: DurationInput }): WindowDef<C> {
  const sizeMs = parseDuration(options.size, 'window size');
  const slideMs = parseDuration(options.slide, 'window slide');
  if (sizeMs <= 0 || slideMs <= 0) throw new QueryError('invalid-window', messages.hoppingWindow(String(options.size), String(options.slide)));
  return { kind: 'hop', timeColumn: time, sizeMs, slideMs, offsetMs: parseDuration(options.offset ?? 0, 'window offset') };
}

/** Cumulating windows: [s, s + step), [s, s + 2·step), … up to [s, s + maxSize), s aligned to maxSize. */
export function cumulate<C extends string>(time: C, options: { step: DurationInput; maxSize: DurationInput; offset?: DurationInput }): WindowDef<C> {
  const stepMs = parseDuration(options.step, 'window step');
  const sizeMs = parseDuration(options.maxSize, 'window max size');
  if (sizeMs <= 0 || stepMs <= 0) throw new QueryError('invalid-window', messages.cumulatingWindow(String(options.step), String(options.maxSize)));
  if (sizeMs % stepMs !== 0) throw new QueryError('invalid-window', messages.cumulatingMultiple(String(options.maxSize), String(options.step)));
  return { kind: 'cumulate', timeColumn: time, stepMs, sizeMs, offsetMs: parseDuration(options.offset ?? 0, 'window offset') };
}

/**
 * Session windows: per key of `by`, events less than `gap` apart share a session
 * [first event, last event + gap). Group by the same keys.
 */
export function session<C extends string>(time: C, gap: DurationInput, options: { by?: C | readonly C[] } = {}): WindowDef<C> {
  const gapMs = parseDuration(gap, 'session gap');
  if (gapMs <= 0) throw new QueryError('invalid-window', messages.sessionGap(String(gap)));
  const by = options.by === undefined ? [] : typeof options.by === 'string' ? [options.by] : [...options.by];
  return { kind: 'session', timeColumn: time, gapMs, partitionBy: by };
}
