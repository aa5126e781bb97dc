/**
 * chart(source, spec): a live Vega-Lite chart of a query's changelog or of plain data.
 *
 * It compiles the spec, shows the output at once (when in a notebook), then reads the source in
 * the background: every row updates the model, which feeds (through its level of detail above the
 * point budget, lod/) the kernel's static renderer (SVG/PNG in throttled update_display_data) and
 * any renderer attached over a comm (changesets). On the
 * source's end, an interrupt or stop(), the final snapshot replaces the last one.
 */
import { randomUUID } from 'node:crypto';
import { MIME_BUNDLE, type MimeBundle } from '../notebook/host.js';
import { openLive, registerLive, unregisterLive, type ChangeStream, type LiveSource } from './comm.js';
import { LiveDisplay } from './display.js';
import { ChartModel } from './model.js';
import { LodView } from './lod/view.js';
import { resolveOptions, type ChartOptions, type ResolvedOptions } from './options.js';
import type { ChartTuple } from './changelog.js';
import { CHART_MIME, chartPayload, imageSummary, plainText } from './output.js';
import type { ChartPayload, ChartState, StatusLine } from './protocol.js';
import { provenanceMetadata } from './provenance.js';
import { Snapshots } from './snapshots.js';
import { consume, iterableOf, sourceCounts, stopSource, type ChartSource } from './source.js';
import { compileChart, type CompiledChart } from './spec.js';
import { summaryText } from './styling.js';
import { isProgressSource } from './status/sampler.js';
import { StatusTicker } from './status/ticker.js';

export interface ChartResult {
  readonly state: ChartState;
  readonly rows: number;
  readonly windows: number;
  readonly late: number;
  readonly rejected: number;
}

export class LiveChart implements LiveSource {
  readonly id = randomUUID();
  readonly model: ChartModel;
  /** What the outputs draw: every row, or above the point budget the level of detail. */
  readonly drawn: LodView;
  /** Source items that were neither changelog rows nor records: kept, never fatal. */
  readonly rejected: unknown[] = [];
  state: ChartState = 'live';
  error: unknown;
  /** Resolves when the source ends or the chart stops; rejects with the source's error. */
  readonly done: Promise<ChartResult>;

  private readonly snapshots: Snapshots;
  private readonly display: LiveDisplay | undefined;
  private readonly streams = new Set<ChangeStream>();
  private readonly stopper = new AbortController();
  private readonly source: ChartSource;
  /** The status line of a query source, sampled at the output's update rate while it runs. */
  private readonly status: StatusTicker | undefined;

  constructor(
    source: ChartSource,
    readonly compiled: CompiledChart,
    private readonly options: ResolvedOptions,
  ) {
    const iterable = iterableOf(source);
    this.source = source;
    this.model = new ChartModel(options.retain);
    this.snapshots = new Snapshots(this.id, compiled.vega);
    this.drawn = new LodView(this.model, compiled.lod, options.maxPoints, { changed: () => this.changed(), failed: (e) => this.fail(e) });
    this.drawn.listen(this.snapshots);
    if (isProgressSource(source)) this.status = new StatusTicker(source, 1000 / options.updatesPerSecond, () => this.statusChanged());
    const host = options.host;
    if (host) {
      this.display = new LiveDisplay(host, `windowpane-chart-${this.id}`, () => this.bundle(), options.updatesPerSecond, (e) => this.fail(e), () => provenanceMetadata(source));
      registerLive(this.id, this, host);
    }
    this.done = this.run(iterable);
    this.done.catch(() => undefined);
  }

  /** As a cell's value: nothing more to show, the chart already shows itself (by display_id). */
  [MIME_BUNDLE](): MimeBundle {
    return this.options.host ? { 'text/plain': '' } : { 'text/plain': plainText(this.summaryText(), this.status?.current) };
  }

  /** Stops reading the source; `done` resolves once the final snapshot is shown. */
  stop(): void {
    this.stopper.abort();
  }

  summaryText(): string {
    const m = this.model.summary();
    const q = sourceCounts(this.source);
    const drawn = this.drawn.reducing ? { drawn: { shown: this.drawn.drawn, rows: m.rows } } : {};
    const s = summaryText({ ...m, late: Math.max(m.late, q?.late ?? 0), deadLetters: q?.deadLetters ?? 0, ...drawn }, this.state);
    return this.state === 'failed' && this.error instanceof Error ? `${s}: ${this.error.message.split('\n')[0] ?? ''}` : s;
  }

  statusLine(): StatusLine | undefined {
    return this.status?.line();
  }

  get liveUpdatesPerSecond(): number {
    return this.options.liveUpdatesPerSecond;
  }

  attached(stream: ChangeStream, byFrontend: boolean): void {
    this.streams.add(stream);
    // A renderer that asked for the changes is there: the output bundle need only keep roughly
    // current. (A comm the kernel opened may have no listener: any frontend keeps its rate.)
    if (byFrontend && this.display) this.display.updatesPerSecond = Math.min(this.options.updatesPerSecond, 1);
  }

  async svg(): Promise<string> {
    return (await this.snapshots.render(this.imageSummary())).svg;
  }

  async png(): Promise<Uint8Array> {
    const { png } = await this.snapshots.render(this.imageSummary(), this.options.pngScale);
    return png ?? new Uint8Array();
  }

  private imageSummary(): string | undefined {
    return imageSummary(this.compiled, this.summaryText(), this.status?.current);
  }

  /** Rows changed (or what is drawn of them): the outputs send what they have pending. */
  private changed(): void {
    this.display?.poke();
    for (const s of this.streams) {
      if (s.isOpen) s.poke();
      else this.streams.delete(s);
    }
  }

  private statusChanged(): void {
    this.display?.poke();
    for (const s of this.streams) s.pokeStatus();
  }

  payload(): ChartPayload<ChartTuple> {
    return chartPayload({ chartId: this.id, state: this.state, compiled: this.compiled, summary: this.summaryText(), status: this.status?.line(), values: this.drawn.values() });
  }

  /** The output bundle of the current state: our MIME type plus SVG, PNG and text for any frontend. */
  async bundle(): Promise<MimeBundle> {
    // The rows and the images of the same moment: the render takes the changes made until now.
    const payload = this.payload();
    const text = plainText(payload.summary, payload.status);
    const { svg, png } = await this.snapshots.render(imageSummary(this.compiled, payload.summary, payload.status), this.options.png ? this.options.pngScale : undefined, this.state === 'live');
    const bundle: MimeBundle = { [CHART_MIME]: payload, 'image/svg+xml': svg, 'text/plain': text };
    if (png) bundle['image/png'] = Buffer.from(png).toString('base64');
    return bundle;
  }

  private fail(e: unknown): void {
    if (this.error === undefined) this.error = e;
    this.stop();
  }

  private async run(iterable: ReturnType<typeof iterableOf>): Promise<ChartResult> {
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, this.stopper.signal]) : this.stopper.signal;
    try {
      await this.display?.show();
      const stream = this.options.host ? openLive(this.id, this, this.options.host) : undefined;
      if (stream) this.attached(stream, false);
      // status-only updates need an output to go to; a payload samples the line itself
      if (this.display) this.status?.start();
      this.state = await consume(iterable, this.model, {
        keyField: this.options.keyField,
        signal,
        rejected: this.rejected,
        onChange: () => this.changed(),
      });
      if (this.state === 'interrupted' && this.options.stopQuery) stopSource(this.source);
      if (this.error !== undefined) this.state = 'failed';
    } catch (e) {
      this.error = e;
      this.state = 'failed';
    }
    await this.finish();
    if (this.state === 'failed') throw this.error;
    const s = this.model.summary();
    return { state: this.state, rows: s.rows, windows: s.windows, late: s.late, rejected: this.rejected.length };
  }

  private async finish(): Promise<void> {
    this.status?.stop();
    try {
      await this.drawn.settle();
    } catch (e) {
      if (this.error === undefined) this.error = e;
      this.state = 'failed';
    }
    this.drawn.close();
    unregisterLive(this.id);
    await Promise.all([...this.streams].map((s) => s.end(this.state)));
    this.streams.clear();
    try {
      await this.display?.finish();
    } catch (e) {
      if (this.error === undefined) this.error = e;
      this.state = 'failed';
    }
  }
}

/**
 * Draws `source` with a Vega-Lite v5 or v6 spec that has no data. In a notebook the chart shows at
 * once and keeps updating while the source runs; `await chart(...).done` waits for the end.
 */
export function chart(source: ChartSource, spec: Readonly<Record<string, unknown>>, options: ChartOptions = {}): LiveChart {
  const plain = Array.isArray(source);
  const compiled = compileChart(spec, { statusStyle: options.statusStyle, summary: options.summary ?? !plain });
  const resolved = resolveOptions(options, plain ? Infinity : 500);
  return new LiveChart(source, compiled, resolved);
}
