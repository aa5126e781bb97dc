/**
 * table(source): a live HTML table of the current result, updated like a chart (display_data, then
 * throttled update_display_data by display_id). Shows the most recent windows first.
 */
import { randomUUID } from 'node:crypto';
import type { Scalar } from '../engine/changelog/types.js';
import { MIME_BUNDLE, type MimeBundle } from '../notebook/host.js';
import type { ChartTuple } from './changelog.js';
import { LiveDisplay } from './display.js';
import { ChartModel } from './model.js';
import { resolveOptions, type LiveOptions, type ResolvedOptions } from './options.js';
import type { ChartState } from './protocol.js';
import { provenanceMetadata, PROVENANCE_METADATA_KEY } from './provenance.js';
import { consume, iterableOf, sourceCounts, stopSource, type ChartSource } from './source.js';
import { escapeHtml as escape, statusHtml } from './status/html.js';
import { statusText } from './status/line.js';
import { isProgressSource } from './status/sampler.js';
import { StatusTicker } from './status/ticker.js';
import { summaryText } from './styling.js';

export interface TableOptions extends LiveOptions {
  /** Rows shown (default 50): the most recent windows first. */
  readonly maxRows?: number;
}

const HIDDEN = new Set(['key']);
const TIME = new Set(['window_start', 'window_end']);

function cell(column: string, v: Scalar | undefined): string {
  if (v === undefined || v === null) return '';
  if (TIME.has(column) && typeof v === 'number') return new Date(v).toISOString().replace('T', ' ').replace('.000Z', 'Z');
  return String(v);
}

export class LiveTable {
  readonly id = randomUUID();
  readonly model: ChartModel;
  readonly rejected: unknown[] = [];
  state: ChartState = 'live';
  readonly done: Promise<ChartState>;
  private readonly display: LiveDisplay | undefined;
  private readonly stopper = new AbortController();
  private readonly source: ChartSource;
  /** The status line of a query source, shown under the table. */
  private readonly status: StatusTicker | undefined;

  constructor(
    source: ChartSource,
    private readonly options: ResolvedOptions,
    private readonly maxRows: number,
  ) {
    const iterable = iterableOf(source);
    this.source = source;
    this.model = new ChartModel(options.retain);
    if (isProgressSource(source)) this.status = new StatusTicker(source, 1000 / options.updatesPerSecond, () => this.display?.poke());
    if (options.host) this.display = new LiveDisplay(options.host, `windowpane-table-${this.id}`, () => Promise.resolve(this.bundle()), options.updatesPerSecond, () => this.stop(), () => provenanceMetadata(source));
    this.done = this.run(iterable);
    this.done.catch(() => undefined);
  }

  /** As a cell's value: nothing more to show, the table already shows itself (by display_id). */
  [MIME_BUNDLE](): MimeBundle {
    return this.options.host ? { 'text/plain': '' } : this.bundle();
  }

  stop(): void {
    this.stopper.abort();
  }

  /** The most recent rows first (by window start, then key). */
  rows(): ChartTuple[] {
    const order = (t: ChartTuple) => (typeof t.window_start === 'number' ? t.window_start : 0);
    return this.model.values().sort((a, b) => order(b) - order(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, this.maxRows);
  }

  columns(rows: readonly ChartTuple[]): string[] {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) if (!HIDDEN.has(k)) seen.add(k);
    const first = [...TIME].filter((c) => seen.has(c));
    return [...first, ...[...seen].filter((c) => !TIME.has(c))];
  }

  html(): string {
    const rows = this.rows();
    const cols = this.columns(rows);
    const head = cols.map((c) => `<th>${escape(c)}</th>`).join('');
    const body = rows
      .map((r) => {
        const style = r.kind === 'provisional' ? ' style="opacity:0.6;font-style:italic"' : r.kind === 'revised' ? ' style="font-weight:bold"' : '';
        return `<tr${style}>${cols.map((c) => `<td>${escape(cell(c, r[c]))}</td>`).join('')}</tr>`;
      })
      .join('\n');
    const m = this.model.summary();
    const q = sourceCounts(this.source);
    const caption = escape(summaryText({ ...m, late: Math.max(m.late, q?.late ?? 0), deadLetters: q?.deadLetters ?? 0 }, this.state).replace('\n', ' · '));
    const status = this.status ? `\n${statusHtml(this.status.current, provenanceMetadata(this.source)?.[PROVENANCE_METADATA_KEY])}` : '';
    return `<table class="windowpane-table">\n<caption style="caption-side:bottom;text-align:left">${caption}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${status}`;
  }

  bundle(): MimeBundle {
    this.status?.line();
    const rows = this.rows();
    const cols = this.columns(rows);
    const text = [cols.join('\t'), ...rows.map((r) => cols.map((c) => cell(c, r[c])).join('\t')), ...(this.status ? [statusText(this.status.current)] : [])].join('\n');
    return { 'text/html': this.html(), 'text/plain': text };
  }

  private async run(iterable: ReturnType<typeof iterableOf>): Promise<ChartState> {
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, this.stopper.signal]) : this.stopper.signal;
    try {
      await this.display?.show();
      this.status?.start();
      this.state = await consume(iterable, this.model, { keyField: this.options.keyField, signal, rejected: this.rejected, onChange: () => this.display?.poke() });
      if (this.state === 'interrupted' && this.options.stopQuery) stopSource(this.source);
    } catch (e) {
      this.state = 'failed';
      this.status?.stop();
      await this.display?.finish();
      throw e;
    }
    this.status?.stop();
    await this.display?.finish();
    return this.state;
  }
}

export function table(source: ChartSource, options: TableOptions = {}): LiveTable {
  const maxRows = options.maxRows ?? 50;
  const resolved = resolveOptions(options, Array.isArray(source) ? Infinity : 500);
  return new LiveTable(source, resolved, maxRows);
}
