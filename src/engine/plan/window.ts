/**
 * Window kinds: the spec of each, and WINDOW_KINDS, the one table of what the engine knows about a
 * kind apart from its arithmetic. Adding a kind is a member of WindowSpec and a row of the table;
 * the compiler then names every place that must handle it: the exhaustive switches here, the SQL
 * front end's argument readers (sql/windowCall.ts), the window SQL (exec/windowSql.ts) and the
 * engine choice (exec/windowEngine.ts). test/unit/engine/plan/windowKinds.test.ts adds a toy kind
 * that way, step by step.
 */
import { assertNever } from './never.js';

/**
 * Window assignment, sizes in milliseconds. Tumbling is hopping with slide = size. Cumulating
 * windows share a start (aligned to maxSize) and grow by step: [s, s+step), [s, s+2·step), …,
 * [s, s+maxSize). Tumbling, hopping and cumulating windows lie on a grid fixed by the spec alone;
 * session windows depend on the data: per partition key, events less than `gap` apart share a
 * session [first event, last event + gap).
 */
export type WindowSpec =
  | { readonly kind: 'tumble'; readonly timeColumn: string; readonly sizeMs: number; readonly offsetMs: number }
  | { readonly kind: 'hop'; readonly timeColumn: string; readonly sizeMs: number; readonly slideMs: number; readonly offsetMs: number }
  | { readonly kind: 'cumulate'; readonly timeColumn: string; readonly stepMs: number; readonly sizeMs: number; readonly offsetMs: number }
  | { readonly kind: 'session'; readonly timeColumn: string; readonly gapMs: number; readonly partitionBy: readonly string[] };

export type WindowKind = WindowSpec['kind'];
export type WindowOf<K extends WindowKind> = Extract<WindowSpec, { readonly kind: K }>;

/** What the engine needs to know about a window kind, as data. */
export interface WindowKindInfo {
  /** The SQL table function: NAME(source, time_column, ...args). */
  readonly sqlName: string;
  /** The duration arguments after the time column, in SQL order, as the usage text names them. */
  readonly sqlArgs: readonly string[];
  /** A last, optional duration argument: the grid's offset from the epoch. */
  readonly offset: boolean;
  /** The source argument may carry PARTITION BY keys. */
  readonly partitionBy: boolean;
  /**
   * The windows lie on a grid fixed by the spec alone, so a window is known by its end (the grid
   * engine); otherwise they depend on the data (each such kind has an engine of its own).
   */
  readonly grid: boolean;
}

export const WINDOW_KINDS = {
  tumble: { sqlName: 'TUMBLE', sqlArgs: ['size'], offset: true, partitionBy: false, grid: true },
  hop: { sqlName: 'HOP', sqlArgs: ['slide', 'size'], offset: true, partitionBy: false, grid: true },
  cumulate: { sqlName: 'CUMULATE', sqlArgs: ['step', 'max_size'], offset: true, partitionBy: false, grid: true },
  session: { sqlName: 'SESSION', sqlArgs: ['gap'], offset: false, partitionBy: true, grid: false },
} as const satisfies { readonly [K in WindowKind]: WindowKindInfo };

type GridKind = { [K in WindowKind]: (typeof WINDOW_KINDS)[K]['grid'] extends true ? K : never }[WindowKind];
/** Windows on a grid fixed by the spec (the `grid` kinds of WINDOW_KINDS). */
export type GridWindow = WindowOf<GridKind>;
export type SessionWindow = WindowOf<'session'>;

const BY_SQL_NAME: ReadonlyMap<string, WindowKind> = new Map(Object.entries(WINDOW_KINDS).map(([kind, info]) => [info.sqlName.toLowerCase(), kind as WindowKind]));

/** The kind whose SQL table function is called `name` (any case), if any. */
export function windowKindOfSql(name: string): WindowKind | undefined {
  return BY_SQL_NAME.get(name.toLowerCase());
}

/** The kind's SQL call as its usage text: HOP(source, time_column, slide, size [, offset]). */
export function sqlUsage(kind: WindowKind): string {
  const k: WindowKindInfo = WINDOW_KINDS[kind];
  return `${k.sqlName}(source${k.partitionBy ? ' [PARTITION BY key, ...]' : ''}, time_column, ${k.sqlArgs.join(', ')}${k.offset ? ' [, offset]' : ''})`;
}

/** The window spec as text, for explain() and messages. */
export function describeWindow(w: WindowSpec): string {
  switch (w.kind) {
    case 'tumble': return `tumble(${w.timeColumn}, ${w.sizeMs} ms, offset ${w.offsetMs} ms)`;
    case 'hop': return `hop(${w.timeColumn}, size ${w.sizeMs} ms, slide ${w.slideMs} ms, offset ${w.offsetMs} ms)`;
    case 'cumulate': return `cumulate(${w.timeColumn}, step ${w.stepMs} ms, max size ${w.sizeMs} ms, offset ${w.offsetMs} ms)`;
    case 'session': return `session(${w.timeColumn}, gap ${w.gapMs} ms${w.partitionBy.length > 0 ? `, partition by ${w.partitionBy.join(', ')}` : ''})`;
    default: return assertNever(w);
  }
}

/** The input columns window assignment reads. */
export function windowColumns(w: WindowSpec): readonly string[] {
  switch (w.kind) {
    case 'tumble': case 'hop': case 'cumulate': return [w.timeColumn];
    case 'session': return [w.timeColumn, ...w.partitionBy];
    default: return assertNever(w);
  }
}

/**
 * The length of every window when all have the same one (then window_start alone names a window
 * and window_end follows from it); undefined when lengths differ and results must carry window_end.
 */
export function fixedLengthMs(w: WindowSpec): number | undefined {
  switch (w.kind) {
    case 'tumble': case 'hop': return w.sizeMs;
    case 'cumulate': case 'session': return undefined;
    default: return assertNever(w);
  }
}

/** The span of one window (a session: its gap), the default hand-off gap to report: a longer gap misses whole windows. */
export function windowSpanMs(w: WindowSpec): number {
  switch (w.kind) {
    case 'tumble': case 'hop': case 'cumulate': return w.sizeMs;
    case 'session': return w.gapMs;
    default: return assertNever(w);
  }
}
