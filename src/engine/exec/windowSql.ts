/**
 * Window assignment in DuckDB SQL. All arithmetic is on epoch microseconds as BIGINT, so bucket
 * boundaries are exact. Grid windows (tumble, hop, cumulate) are [start, end) with starts and ends
 * aligned to the epoch plus offset; a grid window is identified by its end alone (no two windows of
 * one spec share an end). Session windows are computed per partition key with window functions.
 */
import { assertNever } from '../plan/never.js';
import type { GridWindow, SessionWindow, WindowSpec } from '../plan/window.js';
import { ident } from './duck.js';

export const US_PER_MS = 1000;

const T = '"__wp_t"';
const WS = '"__wp_ws"';
const WE = '"__wp_we"';

/** SQL for the event time of a row as epoch µs. */
export function eventMicros(w: WindowSpec): string {
  return `epoch_us(CAST(${ident(w.timeColumn)} AS TIMESTAMP))`;
}

/** SQL aligning µs expression `x` down to the window grid of step `stepUs`. */
function alignDown(x: string, stepUs: number, offsetUs: number): string {
  return `(${x} - (((${x} - ${offsetUs}) % ${stepUs}) + ${stepUs}) % ${stepUs})`;
}

function timed(w: WindowSpec, input: string): string {
  return `SELECT *, ${eventMicros(w)} AS ${T} FROM (${input}) WHERE ${ident(w.timeColumn)} IS NOT NULL`;
}

function finish(assigned: string, where = ''): string {
  return `SELECT * EXCLUDE (${T}, ${WS}, ${WE}), make_timestamp(${WS}) AS window_start, make_timestamp(${WE}) AS window_end FROM (${assigned})${where}`;
}

/** Rows of `input` with (window start, window end) µs columns, one row per window of the event. */
function gridAssigned(w: GridWindow, input: string): string {
  const size = w.sizeMs * US_PER_MS;
  const offset = w.offsetMs * US_PER_MS;
  switch (w.kind) {
    case 'tumble':
      return `SELECT *, ${alignDown(T, size, offset)} AS ${WS}, ${alignDown(T, size, offset)} + ${size} AS ${WE} FROM (${timed(w, input)})`;
    case 'hop': {
      const slide = w.slideMs * US_PER_MS;
      const extra = Math.ceil(size / slide) - 1;
      const last = alignDown(T, slide, offset);
      return `SELECT *, ${WS} + ${size} AS ${WE} FROM (SELECT *, unnest(generate_series(${last} - ${extra * slide}, ${last}, ${slide})) AS ${WS} FROM (${timed(w, input)})) WHERE ${WS} + ${size} > ${T}`;
    }
    case 'cumulate': {
      const step = w.stepMs * US_PER_MS;
      const bucket = alignDown(T, size, offset);
      return `SELECT *, ${bucket} AS ${WS}, unnest(generate_series(${bucket} + ((${T} - ${bucket}) // ${step} + 1) * ${step}, ${bucket} + ${size}, ${step})) AS ${WE} FROM (${timed(w, input)})`;
    }
    default:
      return assertNever(w);
  }
}

function partitionClause(w: SessionWindow, extra: readonly string[] = []): string {
  const cols = [...w.partitionBy.map(ident), ...extra];
  return cols.length > 0 ? `PARTITION BY ${cols.join(', ')} ` : '';
}

/**
 * Sessions: per partition key, events sorted by time; an event starts a new session when the
 * previous one is `gap` or more before it. A session is [first event, last event + gap).
 */
function sessionAssigned(w: SessionWindow, input: string): string {
  const gap = w.gapMs * US_PER_MS;
  const flagged = `SELECT *, CASE WHEN ${T} - lag(${T}) OVER (${partitionClause(w)}ORDER BY ${T}) < ${gap} THEN 0 ELSE 1 END AS "__wp_new" FROM (${timed(w, input)})`;
  const numbered = `SELECT * EXCLUDE ("__wp_new"), sum("__wp_new") OVER (${partitionClause(w)}ORDER BY ${T} ROWS UNBOUNDED PRECEDING) AS "__wp_sid" FROM (${flagged})`;
  const bounds = `SELECT * EXCLUDE ("__wp_sid"), min(${T}) OVER (${partitionClause(w, ['"__wp_sid"'])}) AS ${WS}, max(${T}) OVER (${partitionClause(w, ['"__wp_sid"'])}) + ${gap} AS ${WE} FROM (${numbered})`;
  return bounds;
}

/** The columns of a table of sessions (sessionState.ts): first and last event time, µs, after the partition keys. */
export const SESSION_START = WS;
export const SESSION_LAST = '"__wp_wl"';

/**
 * The rows of `input` in the sessions listed in table (or subquery) `sessions` (the partition keys,
 * SESSION_START, SESSION_LAST), with their window: a join on the keys and the time range, no
 * sessionizing. The list must hold whole sessions (the sessionState's bounds).
 */
function listedSessions(w: SessionWindow, input: string, sessions: string): string {
  const on = [
    ...w.partitionBy.map((k) => `__wp_i.${ident(k)} IS NOT DISTINCT FROM __wp_s.${ident(k)}`),
    `__wp_i.${T} BETWEEN __wp_s.${SESSION_START} AND __wp_s.${SESSION_LAST}`,
  ];
  return `SELECT __wp_i.*, __wp_s.${SESSION_START} AS ${WS}, __wp_s.${SESSION_LAST} + ${w.gapMs * US_PER_MS} AS ${WE} FROM (${timed(w, input)}) AS __wp_i JOIN ${sessions} AS __wp_s ON ${on.join(' AND ')}`;
}

/**
 * Rows of `input` with window_start and window_end added (one row per window for hopping and
 * cumulating windows). `touched`, when given, limits the result: for grid windows a table (or subquery) with a
 * BIGINT column `we` of window ends (µs); for sessions a list of sessions (listedSessions).
 */
export function windowedSql(w: WindowSpec, input: string, touched?: string): string {
  switch (w.kind) {
    case 'tumble': case 'hop': case 'cumulate': return finish(gridAssigned(w, input), touched ? ` WHERE ${WE} IN (SELECT we FROM ${touched})` : '');
    case 'session': return finish(touched ? listedSessions(w, input, touched) : sessionAssigned(w, input));
    default: return assertNever(w);
  }
}

/** SQL for the distinct (start, end) µs of the windows of the rows of `input`. */
export function windowBoundsSql(w: WindowSpec, input: string): string {
  return `SELECT DISTINCT epoch_us(window_start) AS ws, epoch_us(window_end) AS we FROM (${windowedSql(w, input)})`;
}

/** The (start, end) µs of the grid windows containing event time `tUs`, computed in JS. */
export function windowsOf(w: GridWindow, tUs: number): [number, number][] {
  const size = w.sizeMs * US_PER_MS;
  const offset = w.offsetMs * US_PER_MS;
  const down = (x: number, step: number): number => x - ((((x - offset) % step) + step) % step);
  switch (w.kind) {
    case 'tumble': {
      const s = down(tUs, size);
      return [[s, s + size]];
    }
    case 'hop': {
      const slide = w.slideMs * US_PER_MS;
      const out: [number, number][] = [];
      for (let s = down(tUs, slide); s + size > tUs; s -= slide) out.unshift([s, s + size]);
      return out;
    }
    case 'cumulate': {
      const step = w.stepMs * US_PER_MS;
      const b = down(tUs, size);
      const out: [number, number][] = [];
      for (let e = b + (Math.floor((tUs - b) / step) + 1) * step; e <= b + size; e += step) out.push([b, e]);
      return out;
    }
    default:
      return assertNever(w);
  }
}

/**
 * SQL for the grid bucket (µs) of µs expression `x`: the windows of the earliest event of a bucket
 * are every window an event of that bucket lies in (they all start at or before the bucket).
 */
export function gridBucketSql(w: GridWindow, x: string): string {
  return alignDown(x, gridStepMs(w) * US_PER_MS, w.offsetMs * US_PER_MS);
}

/** SQL for the end (µs) of the last grid window containing the event — when all its windows are final. */
export function lastWindowEndSql(w: GridWindow): string {
  return `(${gridBucketSql(w, eventMicros(w))} + ${w.sizeMs * US_PER_MS})`;
}

/** The distance between the starts of consecutive windows (cumulate: of consecutive buckets). */
function gridStepMs(w: GridWindow): number {
  switch (w.kind) {
    case 'tumble': case 'cumulate': return w.sizeMs;
    case 'hop': return w.slideMs;
    default: return assertNever(w);
  }
}
