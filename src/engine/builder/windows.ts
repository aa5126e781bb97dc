/** Window constructors for the builder: tumble(time, size) and hop(time, { size, slide }). */
import { QueryError } from '../../errors.js';
import { parseDuration, type DurationInput } from '../duration.js';
import type { WindowSpec } from '../plan/types.js';

/** A window over time column `C`. */
export type WindowDef<C extends string = string> = WindowSpec & { readonly __time?: C };

export function tumble<C extends string>(time: C, size: DurationInput, options: { offset?: DurationInput } = {}): WindowDef<C> {
  const sizeMs = parseDuration(size, 'window size');
  if (sizeMs <= 0) throw new QueryError('invalid-window', `invalid window size ${String(size)}: it must be positive.`);
  return { kind: 'tumble', timeColumn: time, sizeMs, offsetMs: parseDuration(options.offset ?? 0, 'window offset') };
}

export function hop<C extends string>(time: C, options: { size: DurationInput; slide: DurationInput; offset?: DurationInput }): WindowDef<C> {
  const sizeMs = parseDuration(options.size, 'window size');
  const slideMs = parseDuration(options.slide, 'window slide');
  if (sizeMs <= 0 || slideMs <= 0) throw new QueryError('invalid-window', `invalid hopping window (size ${String(options.size)}, slide ${String(options.slide)}): both must be positive.`);
  return { kind: 'hop', timeColumn: time, sizeMs, slideMs, offsetMs: parseDuration(options.offset ?? 0, 'window offset') };
}
