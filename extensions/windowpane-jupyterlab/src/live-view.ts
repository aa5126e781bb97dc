/**
 * A live Vega view: rows come in as upserts and removals by key and are applied as Vega changesets
 * (the library's feed.ts), at most once per animation frame, to the one view created at the start.
 * Never re-embedded. While the query runs the scale domains grow in steps (domains.ts), and the
 * canvas is redrawn box by box (regions.ts), so a changeset redraws the marks it touches, not the
 * axes and every mark.
 */
import { parse, View, type Spec } from 'vega';
import { ViewFeed } from '../../../src/chart/feed';
import { redrawByRegion } from './regions';
import type { ChartPayload, Tuple } from '../../../src/chart/protocol';

export class LiveView {
  private readonly feed: ViewFeed;
  private frame = 0;
  private summary: string | undefined;
  /** Changesets applied, for tests and the benchmark. */
  applied = 0;

  private constructor(
    readonly view: View,
    spec: Spec,
    dataName: string,
    private readonly summarySignal: string | undefined,
  ) {
    this.feed = new ViewFeed(view, dataName, spec);
  }

  static async create(container: HTMLElement, payload: ChartPayload): Promise<LiveView> {
    const spec = payload.vega ?? (await compileVegaLite(payload));
    const view = new View(parse(spec), { renderer: 'canvas', container, hover: true });
    // a changeset redraws the boxes it changed, not the union of them
    redrawByRegion((view as unknown as { _renderer: unknown })._renderer);
    const live = new LiveView(view, spec, payload.dataName, payload.summarySignal);
    live.setLive(payload.state === 'live');
    live.replaceAll(payload.values);
    live.setSummary(payload.summary);
    await live.flush();
    return live;
  }

  get size(): number {
    return this.feed.size;
  }

  upsert(rows: readonly Tuple[], remove: readonly string[] = []): void {
    for (const key of remove) this.feed.remove(key);
    for (const t of rows) this.feed.upsert(t);
    this.schedule();
  }

  /** Makes the view hold exactly `rows`, sending only what differs. */
  replaceAll(rows: readonly Tuple[]): void {
    this.feed.replaceAll(rows);
    this.schedule();
  }

  /** While the query runs the domains grow in steps (few redraws); once it ends they fit the data. */
  setLive(live: boolean): void {
    this.feed.setLive(live);
    this.schedule();
  }

  setSummary(text: string): void {
    if (text === this.summary) return;
    this.summary = text;
    this.schedule();
  }

  finalize(): void {
    cancelAnimationFrame(this.frame);
    this.view.finalize();
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => void this.flush());
  }

  /** One changeset for everything since the last frame; resolves once it is drawn. */
  flush(): Promise<unknown> {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.summarySignal && this.summary !== undefined) this.view.signal(this.summarySignal, this.summary.split('\n'));
    if (this.feed.flush()) this.applied++;
    return this.view.runAsync();
  }
}

async function compileVegaLite(payload: ChartPayload): Promise<Spec> {
  const vl = await import('vega-lite');
  // re-fit axes, legends and titles as rows arrive, as the kernel's compiled specs do
  const spec = { autosize: { type: 'pad', resize: true }, ...(payload.vegaLite ?? {}), data: { name: payload.dataName } };
  return vl.compile(spec as never).spec;
}
