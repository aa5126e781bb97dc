/**
 * What a chart's output holds: the MIME payload the JupyterLab extension draws (spec, rows, summary,
 * status line), and for any other frontend the text and the summary lines its images carry (the
 * status line under the summary: images have no other place for it).
 */
import type { ChartTuple } from './changelog.js';
import { CHART_MIME, COMM_TARGET, type ChartPayload, type ChartState, type StatusLine } from './protocol.js';
import { DATA_NAME, type CompiledChart } from './spec.js';
import { statusLines, statusText } from './status/line.js';
import { SUMMARY_SIGNAL } from './styling.js';

export { CHART_MIME };

/** Status items the chart's summary line already shows (its images and text leave them out). */
const IN_SUMMARY = ['late', 'deadLetters'] as const;

export interface ChartMoment {
  readonly chartId: string;
  readonly state: ChartState;
  readonly compiled: CompiledChart;
  readonly summary: string;
  readonly status: StatusLine | undefined;
  readonly values: ChartTuple[];
}

export const hasSummary = (compiled: CompiledChart): boolean => compiled.vega.signals?.some((s) => s.name === SUMMARY_SIGNAL) ?? false;

export function chartPayload(m: ChartMoment): ChartPayload<ChartTuple> {
  return {
    version: 1,
    chartId: m.chartId,
    commTarget: COMM_TARGET,
    state: m.state,
    specVersion: m.compiled.version,
    vegaLite: m.compiled.vegaLite,
    vega: m.compiled.vega,
    dataName: DATA_NAME,
    keyField: 'key',
    ...(hasSummary(m.compiled) ? { summarySignal: SUMMARY_SIGNAL } : {}),
    summary: m.summary,
    ...(m.status ? { status: m.status } : {}),
    values: m.values,
  };
}

/** The lines an image's subtitle shows: the summary, then the status line in two. */
export function imageSummary(compiled: CompiledChart, summary: string, status: StatusLine | undefined): string | undefined {
  if (!hasSummary(compiled)) return undefined;
  return status ? [summary, ...statusLines(status, IN_SUMMARY)].join('\n') : summary;
}

export function plainText(summary: string, status: StatusLine | undefined): string {
  return `<chart: ${[summary.replace('\n', ' · '), ...(status ? [statusText(status, IN_SUMMARY)] : [])].join(' · ')}>`;
}
