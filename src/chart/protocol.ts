/**
 * The chart's wire formats: the one definition that both this library (the kernel side) and the
 * JupyterLab extension (extensions/windowpane-jupyterlab, the renderer) compile. It stands alone
 * (no imports but Vega's types, no Node APIs) so that the extension's browser build can take it in.
 *
 * The output carries CHART_MIME with the compiled Vega spec and the current rows. A renderer that
 * can talk to the kernel opens a comm on COMM_TARGET with { chartId }, gets a `reset` with the
 * current rows, then `changes` (upserts and removals by key) while the query runs, then `end`.
 * Large row sets travel as Apache Arrow IPC in the message's binary buffers (toWire / readToFrontend).
 */
import type { Spec as VegaSpec } from 'vega';
import { decodeRows, encodeRows } from './arrow.js';

export const CHART_MIME = 'application/vnd.windowpane.chart+json';
export const COMM_TARGET = 'windowpane.chart';
/** Output metadata key of the query's provenance (what it read), beside the chart's bundle. */
export const PROVENANCE_METADATA_KEY = 'windowpane.provenance';

export type ChartState = 'live' | 'finished' | 'interrupted' | 'failed';

/** starting → history → handoff (working off what the topic gained meanwhile) → live → done. */
export type StatusPhase = 'starting' | 'history' | 'handoff' | 'live' | 'done';
export type StatusItemName = 'phase' | 'watermark' | 'lag' | 'rate' | 'late' | 'deadLetters';

/**
 * A query's status line, ready to show: its items in order (the phase with the history's progress,
 * the watermark, the lag behind the topic's end, events/s, late and dead-letter counts) as text.
 */
export interface StatusLine {
  readonly phase: StatusPhase;
  readonly items: readonly { readonly name: StatusItemName; readonly text: string }[];
  /** Events behind the topic's end (runs with a live topic). */
  readonly lag?: number;
}

/** One row as the renderer's Vega view holds it: flat JSON scalars, keyed by `key`. */
export type Tuple = Record<string, string | number | boolean | null> & { readonly key: string };

export interface ChartPayload<Row extends Tuple = Tuple> {
  readonly version: 1;
  readonly chartId: string;
  readonly commTarget: typeof COMM_TARGET;
  readonly state: ChartState;
  /** Vega-Lite major version of the spec the user wrote. */
  readonly specVersion: 'v5' | 'v6';
  readonly vegaLite: Record<string, unknown>;
  /** The compiled Vega spec; the kernel always sends it, and without it the renderer compiles vegaLite. */
  readonly vega?: VegaSpec;
  /** Name of the dataset that holds the rows, and the field that keys them. */
  readonly dataName: string;
  readonly keyField: 'key';
  /** Name of the signal that holds the summary (lines split on "\n"), when the chart has one. */
  readonly summarySignal?: string;
  readonly summary: string;
  /** The status line of the query the chart draws (absent for other sources). */
  readonly status?: StatusLine;
  readonly values: readonly Row[];
}

type Messages<Rows> =
  | { readonly type: 'reset'; readonly state: ChartState; readonly summary: string; readonly status?: StatusLine; readonly values: Rows }
  | { readonly type: 'changes'; readonly summary: string; readonly status?: StatusLine; readonly upsert: Rows; readonly remove: readonly string[] }
  | { readonly type: 'status'; readonly status: StatusLine }
  | { readonly type: 'end'; readonly state: ChartState; readonly summary: string; readonly status?: StatusLine }
  | { readonly type: 'unknown'; readonly chartId: string };

/** Comm messages from the kernel to a renderer. */
export type ToFrontend<Row extends Tuple = Tuple> = Messages<readonly Row[]>;
/** Rows as Apache Arrow IPC (a stream of record batches) in the message's binary buffer `arrow`. */
export interface ArrowRows {
  readonly arrow: number;
}
/** A message as it travels: large row sets as Arrow. */
export type WireToFrontend<Row extends Tuple = Tuple> = Messages<readonly Row[] | ArrowRows>;
/** Row sets of at least this many rows travel as Arrow. */
export const ARROW_MIN_ROWS = 500;

/** comm_open data from a renderer that opens its own comm. */
export interface AttachRequest {
  readonly chartId: string;
}

export function isPayload(x: unknown): x is ChartPayload {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Partial<ChartPayload>;
  return p.version === 1 && typeof p.chartId === 'string' && Array.isArray(p.values) && (typeof p.vega === 'object' || typeof p.vegaLite === 'object') && (p.status === undefined || isStatusLine(p.status));
}

const STATES: readonly unknown[] = ['live', 'finished', 'interrupted', 'failed'] satisfies ChartState[];
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isScalar = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isTuple = (x: unknown): x is Tuple => isRecord(x) && typeof x.key === 'string' && Object.values(x).every(isScalar);
const isTuples = (x: unknown): boolean => Array.isArray(x) && x.every(isTuple);
const PHASES: readonly unknown[] = ['starting', 'history', 'handoff', 'live', 'done'] satisfies StatusPhase[];
const ITEMS: readonly unknown[] = ['phase', 'watermark', 'lag', 'rate', 'late', 'deadLetters'] satisfies StatusItemName[];
const isItem = (x: unknown): boolean => isRecord(x) && ITEMS.includes(x.name) && typeof x.text === 'string';

export function isStatusLine(x: unknown): x is StatusLine {
  return isRecord(x) && PHASES.includes(x.phase) && Array.isArray(x.items) && x.items.every(isItem) && (x.lag === undefined || typeof x.lag === 'number');
}
const optionalStatus = (x: Record<string, unknown>): boolean => x.status === undefined || isStatusLine(x.status);

/**
 * A comm message from the kernel, checked field by field (the renderer ignores anything else): the
 * type tag, the state, the summary, the status line, every row (flat scalars with a string `key`)
 * and every key.
 */
export function isToFrontend(x: unknown): x is ToFrontend {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'reset': return STATES.includes(x.state) && typeof x.summary === 'string' && optionalStatus(x) && isTuples(x.values);
    case 'changes': return typeof x.summary === 'string' && optionalStatus(x) && isTuples(x.upsert) && Array.isArray(x.remove) && x.remove.every((k) => typeof k === 'string');
    case 'status': return isStatusLine(x.status);
    case 'end': return STATES.includes(x.state) && typeof x.summary === 'string' && optionalStatus(x);
    case 'unknown': return typeof x.chartId === 'string';
    default: return false;
  }
}

export function isAttachRequest(x: unknown): x is AttachRequest {
  return typeof x === 'object' && x !== null && typeof (x as AttachRequest).chartId === 'string';
}

/** A message for the wire: a reset's or a changeset's rows as Arrow in a buffer when there are many. */
export function toWire<Row extends Tuple>(msg: ToFrontend<Row>): { data: WireToFrontend<Row>; buffers: Uint8Array[] } {
  const rows = msg.type === 'reset' ? msg.values : msg.type === 'changes' ? msg.upsert : undefined;
  const bytes = rows && rows.length >= ARROW_MIN_ROWS ? encodeRows(rows) : undefined;
  if (!bytes) return { data: msg, buffers: [] };
  const data = msg.type === 'reset' ? { ...msg, values: { arrow: 0 } } : { ...msg, upsert: { arrow: 0 } };
  return { data, buffers: [bytes] };
}

type BufferLike = ArrayBuffer | ArrayBufferView;
const bytesOf = (b: BufferLike): Uint8Array => (b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

/**
 * A comm message from the kernel as the renderer takes it: Arrow rows decoded from their buffer,
 * then the whole message checked by isToFrontend; undefined for anything else (a missing buffer,
 * bytes that are not Arrow, rows that are not flat or have no key).
 */
export function readToFrontend(data: unknown, buffers: readonly BufferLike[] = []): ToFrontend | undefined {
  if (!isRecord(data)) return undefined;
  const field = data.type === 'reset' ? 'values' : data.type === 'changes' ? 'upsert' : undefined;
  const ref = field ? data[field] : undefined;
  let msg: unknown = data;
  if (field && isRecord(ref)) {
    const buffer = typeof ref.arrow === 'number' ? buffers[ref.arrow] : undefined;
    if (!buffer) return undefined;
    try {
      const rows = decodeRows(bytesOf(buffer));
      // the kernel sends Arrow only for many rows: none means the bytes were not a row set
      if (rows.length === 0) return undefined;
      msg = { ...data, [field]: rows };
    } catch {
      return undefined;
    }
  }
  return isToFrontend(msg) ? msg : undefined;
}
