/**
 * The chart output and comm formats. The kernel side is src/chart/protocol.ts in the windowpane
 * library; this is the renderer's copy (the extension builds apart from the library).
 */
export const CHART_MIME = 'application/vnd.windowpane.chart+json';
export const COMM_TARGET = 'windowpane.chart';

export type ChartState = 'live' | 'finished' | 'interrupted' | 'failed';
export type Tuple = Record<string, string | number | boolean | null> & { readonly key: string };

export interface ChartPayload {
  readonly version: 1;
  readonly chartId: string;
  readonly commTarget: string;
  readonly state: ChartState;
  readonly specVersion: 'v5' | 'v6';
  readonly vegaLite?: Record<string, unknown>;
  /** The compiled Vega spec; when absent the renderer compiles vegaLite itself. */
  readonly vega?: Record<string, unknown>;
  readonly dataName: string;
  readonly keyField: 'key';
  readonly summarySignal?: string;
  readonly summary: string;
  readonly values: readonly Tuple[];
}

export type ToFrontend =
  | { readonly type: 'reset'; readonly state: ChartState; readonly summary: string; readonly values: readonly Tuple[] }
  | { readonly type: 'changes'; readonly summary: string; readonly upsert: readonly Tuple[]; readonly remove: readonly string[] }
  | { readonly type: 'end'; readonly state: ChartState; readonly summary: string }
  | { readonly type: 'unknown'; readonly chartId: string };

export function isPayload(x: unknown): x is ChartPayload {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Partial<ChartPayload>;
  return p.version === 1 && typeof p.chartId === 'string' && Array.isArray(p.values) && (typeof p.vega === 'object' || typeof p.vegaLite === 'object');
}

export function isToFrontend(x: unknown): x is ToFrontend {
  const t = (x as { type?: unknown } | null)?.type;
  return t === 'reset' || t === 'changes' || t === 'end' || t === 'unknown';
}
