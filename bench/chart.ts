/**
 * Live chart update cost in real Chromium: applying each update as a Vega changeset to one view
 * (what the JupyterLab extension does) beside re-rendering the whole spec with all its data on every
 * update (what a plain re-embed per update_display_data costs), for 1k, 10k and 100k points.
 * Two kinds of update: "slide" replaces the oldest window's points with a new window's (retention;
 * the x domain moves, so every mark is re-encoded either way), "revise" changes 100 points in place
 * (late data; the scales stay put, so a changeset touches only those marks).
 * Time per update = dataflow + canvas render, until the next animation frame. Printed, never asserted.
 *   node --import tsx bench/chart.ts [sizes...]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { View, parse } from 'vega';
import { rowToTuple } from '../src/chart/changelog.js';
import { ChartModel } from '../src/chart/model.js';
import { StaticRenderer, svgToPng } from '../src/chart/render.js';
import { compileChart } from '../src/chart/spec.js';
import { fmt, percentile, printTable, summarize } from './stats.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [1_000, 10_000, 100_000];
const PER_WINDOW = 100;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const spec = compileChart({
  mark: { type: 'circle', size: 12 },
  encoding: { x: { field: 'window_start', type: 'quantitative', scale: { zero: false } }, y: { field: 'n', type: 'quantitative' }, color: { field: 'g', type: 'nominal' } },
  width: 800,
  height: 400,
}).vega;

// Runs in the page (a string, so the test compiler leaves it as written).
const PAGE = `
const rows = (w, revision) => Array.from({ length: ${PER_WINDOW} }, (_, i) => ({ key: w + ':' + i, window_start: w, g: 'g' + (i % 8), n: (w * 7919 + i * 104729 + revision) % 1000, kind: revision ? 'revised' : 'final', late: 0 }));
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
window.runBench = async (spec, windows, updates, mode, kind) => {
  const host = document.getElementById('chart');
  let first = 0;
  let data = new Map();
  for (let w = 0; w < windows; w++) for (const t of rows(w, 0)) data.set(t.key, t);
  let view = new vega.View(vega.parse(spec), { renderer: 'canvas', container: host });
  view.change('windowpane', vega.changeset().insert([...data.values()].map((t) => ({ ...t }))));
  await view.runAsync();
  await frame();
  const held = new Map();
  for (const t of view.data('windowpane')) held.set(t.key, t);
  const times = [];
  for (let u = 0; u < updates; u++) {
    const w = windows + u;
    const slide = kind === 'slide';
    const gone = slide ? rows(first, 0).map((t) => t.key) : [];
    if (slide) first++;
    const fresh = slide ? [...rows(w, 0), ...rows(w - 1, 1).slice(0, 10)] : rows((u * 37) % windows, u + 1);
    const t0 = performance.now();
    if (mode === 'changeset') {
      const remove = [];
      const insert = [];
      for (const k of gone) { const o = held.get(k); if (o) { remove.push(o); held.delete(k); } }
      for (const t of fresh) { const o = held.get(t.key); if (o) remove.push(o); const c = { ...t }; held.set(t.key, c); insert.push(c); }
      view.change('windowpane', vega.changeset().remove(remove).insert(insert));
      await view.runAsync();
    } else {
      for (const k of gone) data.delete(k);
      for (const t of fresh) data.set(t.key, t);
      view.finalize();
      host.replaceChildren();
      const full = { ...spec, data: spec.data.map((d) => d.name === 'windowpane' ? { name: 'windowpane', values: [...data.values()].map((t) => ({ ...t })) } : d) };
      view = new vega.View(vega.parse(full), { renderer: 'canvas', container: host });
      await view.runAsync();
    }
    await frame();
    times.push(performance.now() - t0);
  }
  const marks = view.data('windowpane').length;
  view.finalize();
  return { times, marks };
};
`;

/** The kernel side: what each update_display_data costs to render (static SVG and PNG). */
async function kernelSnapshots(): Promise<{ case: string; ours: string; baseline: string; ratio?: number }[]> {
  const out: { case: string; ours: string; baseline: string; ratio?: number }[] = [];
  for (const n of SIZES) {
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
      await svgToPng(await renderer.svg());
      ours.push(performance.now() - t0);
      t0 = performance.now();
      const fresh = new View(parse({ ...spec, data: (spec.data ?? []).map((d) => (d.name === 'windowpane' ? { name: 'windowpane', values: model.values().map((t) => ({ ...t })) } : d)) }), { renderer: 'none' });
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

const MINUTE_MS = 60_000;
const require = createRequire(import.meta.url);
const vegaJs = readFileSync(join(dirname(require.resolve('vega/vega-schema.json')), 'vega.min.js'), 'utf8');
const userData = mkdtempSync(join(tmpdir(), 'windowpane-bench-chart-'));
const context = await chromium.launchPersistentContext(userData, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1000, height: 600 } });
try {
  const page = await context.newPage();
  await page.setContent('<div id="chart"></div>');
  await page.addScriptTag({ content: vegaJs });
  await page.addScriptTag({ content: PAGE });
  const rowsOut: { case: string; ours: string; baseline: string; ratio?: number }[] = [];
  for (const n of SIZES) {
    const windows = Math.max(1, Math.round(n / PER_WINDOW));
    const updates = n >= 100_000 ? 5 : n >= 10_000 ? 15 : 30;
    for (const kind of ['slide', 'revise']) {
      const run = (mode: string) => page.evaluate<{ times: number[]; marks: number }>(`runBench(${JSON.stringify(spec)}, ${windows}, ${updates}, ${JSON.stringify(mode)}, ${JSON.stringify(kind)})`);
      const ours = await run('changeset');
      const base = await run('rerender');
      const o = summarize(ours.times);
      const b = summarize(base.times);
      rowsOut.push({
        case: `${kind}: ${n.toLocaleString('en')} points (${ours.marks} drawn), ${updates} updates`,
        ours: `${fmt(o, 'ms')} p95 ${percentile(ours.times, 95).toFixed(1)}`,
        baseline: `${fmt(b, 'ms')} p95 ${percentile(base.times, 95).toFixed(1)}`,
        ratio: b.median / o.median,
      });
    }
  }
  printTable('Chart update: Vega changeset on one view (windowpane) vs re-render of the whole spec (baseline), time per update to the next frame in Chromium', rowsOut);
  printTable('Kernel snapshot per display update (SVG + PNG): persistent headless view fed by changesets (windowpane) vs a new view per update (baseline)', await kernelSnapshots());
} finally {
  await context.close();
  rmSync(userData, { recursive: true, force: true });
}
