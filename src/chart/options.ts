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
}

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
  };
}
