/**
 * The chart's wire formats, shared in spirit with the JupyterLab extension (which keeps its own copy
 * of these types in extensions/windowpane-jupyterlab/src/protocol.ts).
 *
 * The output carries CHART_MIME with the compiled Vega spec and the current rows. A renderer that
 * can talk to the kernel opens a comm on COMM_TARGET with { chartId }, gets a `reset` with the
 * current rows, then `changes` (upserts and removals by key) while the query runs, then `end`.
 */
import type { Spec as VegaSpec } from 'vega';
import type { ChartTuple } from './changelog.js';

/** The kernel's display protocol: a value's method under this symbol returns its MIME bundle. */
export const MIME_BUNDLE = Symbol.for('windowpane.mimeBundle');

export const CHART_MIME = 'application/vnd.windowpane.chart+json';
export const COMM_TARGET = 'windowpane.chart';

export type ChartState = 'live' | 'finished' | 'interrupted' | 'failed';

export interface ChartPayload {
  readonly version: 1;
  readonly chartId: string;
  readonly commTarget: typeof COMM_TARGET;
  readonly state: ChartState;
  /** Vega-Lite major version of the spec the user wrote. */
  readonly specVersion: 'v5' | 'v6';
  readonly vegaLite: Record<string, unknown>;
  readonly vega: VegaSpec;
  /** Name of the dataset that holds the rows, and the field that keys them. */
  readonly dataName: string;
  readonly keyField: 'key';
  /** Name of the signal that holds the summary (lines split on "\n"), when the chart has one. */
  readonly summarySignal?: string;
  readonly summary: string;
  readonly values: readonly ChartTuple[];
}

export type ToFrontend =
  | { readonly type: 'reset'; readonly state: ChartState; readonly summary: string; readonly values: readonly ChartTuple[] }
  | { readonly type: 'changes'; readonly summary: string; readonly upsert: readonly ChartTuple[]; readonly remove: readonly string[] }
  | { readonly type: 'end'; readonly state: ChartState; readonly summary: string }
  | { readonly type: 'unknown'; readonly chartId: string };

/** comm_open data from the frontend. */
export interface AttachRequest {
  readonly chartId: string;
}

export function isAttachRequest(x: unknown): x is AttachRequest {
  return typeof x === 'object' && x !== null && typeof (x as AttachRequest).chartId === 'string';
}
