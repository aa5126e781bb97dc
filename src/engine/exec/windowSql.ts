/**
 * Window assignment in DuckDB SQL. All arithmetic is on epoch microseconds as BIGINT, so bucket
 * boundaries are exact: a window is [start, start + size), starts aligned to the epoch plus offset.
 */
import type { WindowSpec } from '../plan/types.js';
import { ident } from './duck.js';

export const US_PER_MS = 1000;

export function slideMs(w: WindowSpec): number {
  return w.kind === 'tumble' ? w.sizeMs : w.slideMs;
}

/** SQL for the event time of a row as epoch µs. */
export function eventMicros(w: WindowSpec): string {
  return `epoch_us(CAST(${ident(w.timeColumn)} AS TIMESTAMP))`;
}

/** SQL aligning µs expression `x` down to the window grid of step `stepUs`. */
function alignDown(x: string, stepUs: number, offsetUs: number): string {
  return `(${x} - (((${x} - ${offsetUs}) % ${stepUs}) + ${stepUs}) % ${stepUs})`;
}

/**
 * Rows of `input` with window_start and window_end added (one row per window for hopping windows).
 * `touched`, when given, names a table with a BIGINT column `ws` (window starts in µs): only those
 * windows are produced — how a live micro-batch recomputes just the windows it touched.
 */
export function windowedSql(w: WindowSpec, input: string, touched?: string): string {
  const size = w.sizeMs * US_PER_MS;
  const slide = slideMs(w) * US_PER_MS;
  const offset = w.offsetMs * US_PER_MS;
  const t = '"__wp_t"';
  const ws = '"__wp_ws"';
  const timed = `SELECT *, ${eventMicros(w)} AS ${t} FROM (${input}) WHERE ${ident(w.timeColumn)} IS NOT NULL`;
  const extra = Math.ceil(size / slide) - 1;
  const assigned =
    extra === 0
      ? `SELECT *, ${alignDown(t, slide, offset)} AS ${ws} FROM (${timed})`
      : `SELECT * FROM (SELECT *, unnest(generate_series(${alignDown(t, slide, offset)} - ${extra * slide}, ${alignDown(t, slide, offset)}, ${slide})) AS ${ws} FROM (${timed})) WHERE ${ws} + ${size} > ${t}`;
  const filter = touched ? ` WHERE ${ws} IN (SELECT ws FROM ${touched})` : '';
  return `SELECT * EXCLUDE (${t}, ${ws}), make_timestamp(${ws}) AS window_start, make_timestamp(${ws} + ${size}) AS window_end FROM (${assigned})${filter}`;
}

/** SQL for the distinct window starts (µs) of the rows of `input`. */
export function windowStartsSql(w: WindowSpec, input: string): string {
  return `SELECT DISTINCT epoch_us(window_start) AS ws FROM (${windowedSql(w, input)})`;
}

/** The window starts (µs) containing event time `tUs`, computed in JS with the same grid. */
export function windowStartsOf(w: WindowSpec, tUs: number): number[] {
  const size = w.sizeMs * US_PER_MS;
  const slide = slideMs(w) * US_PER_MS;
  const offset = w.offsetMs * US_PER_MS;
  const last = tUs - ((((tUs - offset) % slide) + slide) % slide);
  const starts: number[] = [];
  for (let s = last; s + size > tUs; s -= slide) starts.unshift(s);
  return starts;
}

/** SQL for the end (µs) of the last window containing the event — when all its windows are final. */
export function lastWindowEndSql(w: WindowSpec): string {
  const slide = slideMs(w) * US_PER_MS;
  return `(${alignDown(eventMicros(w), slide, w.offsetMs * US_PER_MS)} + ${w.sizeMs * US_PER_MS})`;
}
