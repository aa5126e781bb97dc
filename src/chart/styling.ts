/**
 * Window status on the chart. Provisional windows are drawn faded with a dashed outline, revised
 * ones with a solid dark outline, final ones plain; a subtitle line says what the styles mean and
 * counts windows and late events. Applied to single-view specs that do not style these channels
 * themselves; other specs can encode the `kind` and `late` fields directly.
 */
import type { Spec as VegaSpec } from 'vega';
import type { Mark } from 'vega-lite/types_unstable/mark.js';

export const SUMMARY_SIGNAL = 'windowpane_summary';

type Obj = Record<string, unknown>;

const isProvisional = "datum.kind === 'provisional'";
const isRevised = "datum.kind === 'revised'";

/**
 * How each Vega-Lite mark shows a window's status: 'shape' marks get an outline (dashed while
 * provisional, dark once revised) and fade while provisional; 'series' marks (one mark for many
 * windows) get a point per window that carries it; 'faded' marks only fade. A mark Vega-Lite adds
 * fails to compile here until it is given a style.
 */
type StatusStyle = 'shape' | 'series' | 'faded';
export const MARK_STATUS = {
  arc: 'shape', bar: 'shape', rect: 'shape', circle: 'shape', square: 'shape',
  line: 'series', area: 'series', trail: 'series',
  point: 'faded', tick: 'faded', rule: 'faded', text: 'faded', image: 'faded', geoshape: 'faded',
} as const satisfies Record<Mark, StatusStyle>;

function statusStyle(markType: string): StatusStyle | undefined {
  return Object.hasOwn(MARK_STATUS, markType) ? MARK_STATUS[markType as Mark] : undefined;
}
const COMPOSITE = ['layer', 'concat', 'hconcat', 'vconcat', 'facet', 'repeat'];

function statusEncoding(markType: string, encoding: Obj): Obj {
  const add: Obj = {};
  if (!('opacity' in encoding) && !('fillOpacity' in encoding)) {
    add.opacity = { condition: { test: isProvisional, value: 0.45 }, value: 1 };
  }
  if (statusStyle(markType) === 'shape' && !('stroke' in encoding) && !('strokeWidth' in encoding) && !('strokeDash' in encoding)) {
    add.stroke = { condition: { test: isRevised, value: '#222222' }, value: '#555555' };
    add.strokeWidth = { condition: [{ test: isRevised, value: 2 }, { test: isProvisional, value: 1 }], value: 0 };
    add.strokeDash = { condition: { test: isProvisional, value: [3, 2] }, value: [1, 0] };
  }
  return add;
}

/** Adds status channels to a single-view spec; lines and areas get a point per window to carry them. */
export function styleWindowStatus(spec: Obj): Obj {
  if (COMPOSITE.some((k) => k in spec) || spec.mark === undefined) return spec;
  const mark = spec.mark;
  const markType = typeof mark === 'string' ? mark : typeof mark === 'object' && mark !== null ? String((mark as Obj).type) : '';
  const encoding = (spec.encoding ?? {}) as Obj;
  if (statusStyle(markType) === 'series') {
    if ('params' in spec) return spec;
    const { mark: _mark, ...rest } = spec;
    const points = { mark: { type: 'point', filled: true, size: 36 }, encoding: statusEncoding('circle', encoding) };
    return { ...rest, layer: [{ mark }, points] };
  }
  return { ...spec, encoding: { ...encoding, ...statusEncoding(markType, encoding) } };
}

/** Puts the summary line under the title (or alone) as a signal the live chart updates. */
export function addSummaryLine(vega: VegaSpec): VegaSpec {
  const signals = [...(vega.signals ?? []), { name: SUMMARY_SIGNAL, value: [] }];
  const subtitle = { signal: SUMMARY_SIGNAL };
  const style = { subtitleColor: '#555555', subtitleFontSize: 11 };
  const title = vega.title;
  let next: unknown;
  if (title === undefined) next = { text: '', subtitle, anchor: 'start', ...style };
  else if (typeof title === 'string' || Array.isArray(title) || 'signal' in title) next = { text: title, subtitle, ...style };
  else if (title.subtitle === undefined) next = { ...title, subtitle, ...style };
  else next = title;
  return { ...vega, signals, title: next } as VegaSpec;
}

/** The summary signal's value: one string per line. */
export function summaryLines(text: string): string[] {
  return text.split('\n');
}

export interface SummaryCounts {
  readonly windows: number;
  readonly byKind: { readonly provisional: number; readonly final: number; readonly revised: number };
  readonly late: number;
  /** Records the query could not read (kept in its dead-letter table). */
  readonly deadLetters?: number;
  /** Rows drawn of all rows, when a level of detail draws fewer. */
  readonly drawn?: { readonly shown: number; readonly rows: number };
}

/** Two lines: "9 final · 2 provisional (faded) · 1 revised (outlined)" and "4 windows · 5 late events". */
export function summaryText(s: SummaryCounts, state: string): string {
  const kinds = [`${s.byKind.final} final`];
  if (s.byKind.provisional > 0) kinds.push(`${s.byKind.provisional} provisional (faded)`);
  if (s.byKind.revised > 0) kinds.push(`${s.byKind.revised} revised (outlined)`);
  const totals = [`${s.windows} window${s.windows === 1 ? '' : 's'}`, `${s.late} late event${s.late === 1 ? '' : 's'}`];
  if (s.deadLetters) totals.push(`${s.deadLetters} bad record${s.deadLetters === 1 ? '' : 's'}`);
  if (s.drawn) totals.push(`${s.drawn.shown.toLocaleString('en-US')} of ${s.drawn.rows.toLocaleString('en-US')} rows drawn (level of detail)`);
  if (state !== 'live') totals.push(state);
  return `${kinds.join(' · ')}\n${totals.join(' · ')}`;
}
