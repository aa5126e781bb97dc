/**
 * A live Vega view: rows come in as upserts and removals by key and are applied as Vega changesets,
 * at most once per animation frame, to the one view created at the start. Never re-embedded.
 */
import { changeset, parse, View, type Spec } from 'vega';
import type { ChartPayload, Tuple } from '../../../src/chart/protocol';

export class LiveView {
  /** The objects the view holds by key (Vega transforms may rewrite fields, so they are ours). */
  private readonly held = new Map<string, object>();
  private readonly pending = new Map<string, Tuple | null>();
  private frame = 0;
  private summary: string | undefined;
  /** Changesets applied, for tests and the benchmark. */
  applied = 0;

  private constructor(
    readonly view: View,
    private readonly dataName: string,
    private readonly summarySignal: string | undefined,
  ) {}

  static async create(container: HTMLElement, payload: ChartPayload): Promise<LiveView> {
    const spec = payload.vega ?? (await compileVegaLite(payload));
    const view = new View(parse(spec), { renderer: 'canvas', container, hover: true });
    const live = new LiveView(view, payload.dataName, payload.summarySignal);
    live.replaceAll(payload.values);
    live.setSummary(payload.summary);
    live.flush();
    await view.runAsync();
    return live;
  }

  get size(): number {
    return this.held.size + [...this.pending.values()].filter((t) => t !== null).length;
  }

  upsert(rows: readonly Tuple[], remove: readonly string[] = []): void {
    for (const key of remove) this.pending.set(key, null);
    for (const t of rows) this.pending.set(t.key, t);
    this.schedule();
  }

  /** Makes the view hold exactly `rows`, sending only what differs. */
  replaceAll(rows: readonly Tuple[]): void {
    const keep = new Set<string>();
    for (const t of rows) keep.add(t.key);
    for (const key of this.held.keys()) if (!keep.has(key)) this.pending.set(key, null);
    for (const t of rows) this.pending.set(t.key, t);
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
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** One changeset for everything since the last frame. */
  flush(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.summarySignal && this.summary !== undefined) this.view.signal(this.summarySignal, this.summary.split('\n'));
    if (this.pending.size > 0) {
      const cs = changeset();
      const insert: object[] = [];
      const remove: object[] = [];
      for (const [key, t] of this.pending) {
        const old = this.held.get(key);
        if (old) remove.push(old);
        if (t) {
          const copy = { ...t };
          this.held.set(key, copy);
          insert.push(copy);
        } else this.held.delete(key);
      }
      this.pending.clear();
      this.view.change(this.dataName, cs.remove(remove).insert(insert));
      this.applied++;
    }
    void this.view.runAsync();
  }
}

async function compileVegaLite(payload: ChartPayload): Promise<Spec> {
  const vl = await import('vega-lite');
  // re-fit axes, legends and titles as rows arrive, as the kernel's compiled specs do
  const spec = { autosize: { type: 'pad', resize: true }, ...(payload.vegaLite ?? {}), data: { name: payload.dataName } };
  return vl.compile(spec as never).spec;
}
