/** Chart and table options, validated once on entry. */
import { ChartError } from '../errors.js';
import { messages } from '../messages.js';
import { notebookHost, type NotebookHost } from '../notebook/host.js';
import type { SpecOptions } from './spec.js';

export interface LiveOptions {
  /** Windows kept, the most recent by start (default 500; plain data: every record). */
  readonly retain?: number;
  /** update_display_data per second at most (default 4). */
  readonly updatesPerSecond?: number;
  /** Changesets per second to a live renderer over its comm (default 30). */
  readonly liveUpdatesPerSecond?: number;
  /** Show the output in the notebook (default: when running in one). */
  readonly display?: boolean;
  /** For plain records: the field that keys them (default: their position). */
  readonly keyField?: string;
  /** Stops the chart; in a notebook the cell's interrupt does too. */
  readonly signal?: AbortSignal;
  /** On interrupt or stop(), also stop the query the source is (default true). */
  readonly stopQuery?: boolean;
  /** The notebook to show in (default: the kernel's). */
  readonly host?: NotebookHost;
}

export interface ChartOptions extends LiveOptions, SpecOptions {
  /**
   * Above this many rows a line, area, trail or point chart draws a level of detail chosen in DuckDB
   * (per pixel column the extremes of each series; for points one per cell of a small grid) instead
   * of every row (default 10,000; Infinity draws every row).
   */
  readonly maxPoints?: number;
  /** Include image/png in outputs (default true), drawn at this zoom (default 1). */
  readonly png?: boolean;
  readonly pngScale?: number;
}

export interface ResolvedOptions {
  readonly retain: number;
  readonly updatesPerSecond: number;
  readonly liveUpdatesPerSecond: number;
  readonly host: NotebookHost | undefined;
  readonly signal: AbortSignal | undefined;
  readonly keyField: string | undefined;
  readonly stopQuery: boolean;
  readonly png: boolean;
  readonly pngScale: number;
  readonly maxPoints: number;
}

/** Rows a chart draws before it switches to a level of detail. */
export const DEFAULT_MAX_POINTS = 10_000;

function positive(name: string, value: unknown, fallback: number, allowInfinity = false): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value > 0 && (Number.isFinite(value) || allowInfinity)) return value;
  throw new ChartError('chart.option', messages.chartOptionInvalid(name, typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value), allowInfinity ? 'a positive number or Infinity' : 'a positive number'), { context: { option: name } });
}

export function resolveOptions(o: ChartOptions = {}, defaultRetain = 500): ResolvedOptions {
  const host = o.display === false ? undefined : (o.host ?? notebookHost());
  const signals = [o.signal, host?.signal].filter((s): s is AbortSignal => s !== undefined);
  return {
    retain: positive('retain', o.retain, defaultRetain, true),
    updatesPerSecond: positive('updatesPerSecond', o.updatesPerSecond, 4),
    liveUpdatesPerSecond: positive('liveUpdatesPerSecond', o.liveUpdatesPerSecond, 30),
    host,
    signal: signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals),
    keyField: o.keyField,
    stopQuery: o.stopQuery ?? true,
    png: o.png ?? true,
    pngScale: positive('pngScale', o.pngScale, 1),
    maxPoints: positive('maxPoints', o.maxPoints, DEFAULT_MAX_POINTS, true),
  };
}
