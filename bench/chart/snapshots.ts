/** The kernel side of a chart update: what each update_display_data costs to render (static SVG and PNG). */
import { View, parse, type Spec } from 'vega';
import { rowToTuple } from '../../src/chart/changelog.js';
import { ChartModel } from '../../src/chart/model.js';
import { StaticRenderer, svgToPng } from '../../src/chart/render.js';
import { fmt, summarize } from '../stats.js';

const MINUTE_MS = 60_000;
const PER_WINDOW = 100;

export interface Row {
  readonly case: string;
  readonly ours: string;
  readonly baseline: string;
  readonly ratio?: number;
}

/** A persistent headless view fed by changesets (windowpane, domains stepped as while live) beside a new view per update of the plain Vega-Lite spec. */
export async function kernelSnapshots(spec: Spec, baseline: Spec, sizes: readonly number[]): Promise<Row[]> {
  const out: Row[] = [];
  for (const n of sizes) {
    const windows = Math.max(1, Math.round(n / PER_WINDOW));
    const updates = n >= 100_000 ? 2 : n >= 10_000 ? 4 : 10;
    const model = new ChartModel(windows);
    const renderer = new StaticRenderer(spec);
    model.listen(renderer);
    const add = (w: number) => {
      for (let i = 0; i < PER_WINDOW; i++) {
        const windowStart = w * MINUTE_MS;
        model.upsert(rowToTuple({ kind: 'final', key: `${w}:${i}`, windowStart, windowEnd: windowStart + MINUTE_MS, group: { g: `g${i % 8}` }, values: { n: (w * 7919 + i * 104729) % 1000 }, seq: 0 }), String(w), windowStart);
      }
    };
    for (let w = 0; w < windows; w++) add(w);
    await renderer.svg();
    const ours: number[] = [];
    const base: number[] = [];
    for (let u = 0; u < updates; u++) {
      add(windows + u);
      let t0 = performance.now();
      await svgToPng(await renderer.svg(undefined, true));
      ours.push(performance.now() - t0);
      t0 = performance.now();
      const fresh = new View(parse({ ...baseline, data: (baseline.data ?? []).map((d) => (d.name === 'windowpane' ? { name: 'windowpane', values: model.values().map((t) => ({ ...t })) } : d)) }), { renderer: 'none' });
      await svgToPng(await fresh.toSVG());
      fresh.finalize();
      base.push(performance.now() - t0);
    }
    renderer.finalize();
    const o = summarize(ours);
    const b = summarize(base);
    out.push({ case: `${n.toLocaleString('en')} points, ${updates} updates`, ours: fmt(o, 'ms'), baseline: fmt(b, 'ms'), ratio: b.median / o.median });
  }
  return out;
}
