/**
 * Live chart update cost in real Chromium, for 1k, 10k and 100k points. Windowpane: the JupyterLab
 * extension's own live view (bench/chart/page.js, bundled) applying each update as a Vega changeset
 * with stable domains; baseline: re-rendering the whole Vega-Lite spec with all its rows on every
 * update (what re-embedding a chart per update_display_data costs), in the same page and run.
 * Updates: "append" adds a window of 100 points (the chart grows), "slide" adds one and drops the
 * oldest (retention), "revise" changes 100 points in place (late data).
 * Then: 30 appends a second held at 10k points; a 10k-row changeset as JSON beside Arrow IPC; the
 * level of detail's DuckDB choice at 100k points; the kernel's snapshot per update. Printed, never asserted.
 *   node --import tsx bench/chart.ts [--json] [sizes...]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import type { Spec } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { compileChart } from '../src/chart/spec.js';
import { packageRoot } from '../src/util/paths.js';
import { lodFigures } from './chart/lod.js';
import { kernelSnapshots, type Row } from './chart/snapshots.js';
import { changesetRows, encodeBoth } from './chart/transport.js';
import { fmt, percentile, printTable, summarize } from './stats.js';

const args = process.argv.slice(2);
const sizes = args.map(Number).filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [1_000, 10_000, 100_000];
const KINDS = ['append', 'slide', 'revise'] as const;
const PER_WINDOW = 100;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const chartSpec = { mark: { type: 'circle', size: 12 }, encoding: { x: { field: 'window_start', type: 'quantitative', scale: { zero: false } }, y: { field: 'n', type: 'quantitative' }, color: { field: 'g', type: 'nominal' } }, width: 800, height: 400 };
const compiled = compileChart(chartSpec);
const spec = compiled.vega;
// the baseline: the same Vega-Lite spec compiled plainly, re-rendered whole on every update
const baseline: Spec = { ...compile(compiled.vegaLite as unknown as TopLevelSpec).spec, autosize: { type: 'pad', resize: true } };

interface Times {
  /** Per update: to the next frame, and the main thread's work in it. */
  readonly times: number[];
  readonly work: number[];
}

interface Measured {
  readonly kind: string;
  readonly points: number;
  readonly ours: Times;
  readonly baseline: Times;
}

async function pageWithBundle(page: Page): Promise<void> {
  // one Vega for the extension's sources and the library's shared modules (the extension has its own copy)
  const vega = join(packageRoot, 'node_modules', 'vega', 'build', 'vega.module.js');
  const bundle = await build({ entryPoints: [fileURLToPath(new URL('./chart/page.js', import.meta.url))], bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'error', minify: true, alias: { vega } });
  await page.setContent('<div id="chart"></div>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
}

async function updates(page: Page): Promise<Measured[]> {
  const out: Measured[] = [];
  for (const points of SIZES) {
    const windows = Math.max(1, Math.round(points / PER_WINDOW));
    const n = points >= 100_000 ? 8 : 30;
    for (const kind of KINDS) {
      const run = (mode: string) => page.evaluate<Times>(`runCase(${JSON.stringify({ spec, baseline, windows, updates: n, mode, kind })})`);
      const ours = await run('changeset');
      const base = await run('rerender');
      out.push({ kind, points, ours, baseline: base });
      console.error(`${kind} ${points}: ${summarize(ours.times).median.toFixed(1)} ms vs ${summarize(base.times).median.toFixed(1)} ms`);
    }
  }
  return out;
}

interface Rate {
  readonly due: number;
  readonly drawn: number;
  readonly perSecond: number;
  readonly framesPerSecond: number;
  /** From falling due to the frame that showed it, per update; the main thread's work per drawing frame. */
  readonly lags: number[];
  readonly work: number[];
}

async function sustained(page: Page, points: number, rate: number, seconds: number): Promise<{ ours: Rate; baseline: Rate }> {
  const run = (mode: string) => page.evaluate<Rate>(`runRate(${JSON.stringify({ spec, baseline, windows: points / PER_WINDOW, seconds, rate, mode })})`);
  return { ours: await run('changeset'), baseline: await run('rerender') };
}

const userData = mkdtempSync(join(tmpdir(), 'windowpane-bench-chart-'));
const context = await chromium.launchPersistentContext(userData, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1000, height: 600 } });
try {
  const page = await context.newPage();
  await pageWithBundle(page);
  // 1. time per update to the next frame
  const measured = await updates(page);
  const cell = (t: Times) => `${fmt(summarize(t.times), 'ms')} p95 ${percentile(t.times, 95).toFixed(1)}; work ${summarize(t.work).median.toFixed(1)} ms`;
  const updateRows: Row[] = measured.map((m) => ({
    case: `${m.kind}: ${m.points.toLocaleString('en')} points, ${m.ours.times.length} updates`,
    ours: cell(m.ours),
    baseline: cell(m.baseline),
    ratio: summarize(m.baseline.times).median / summarize(m.ours.times).median,
  }));
  printTable('Chart update to the next frame in Chromium: changeset on the live view with stable domains (windowpane) vs re-rendering the whole spec (baseline); work = the main thread\'s part, without the wait for the frame; ratio = how many times cheaper to the frame', updateRows);
  // what one update redraws (past the first domain step)
  const redrawn: Row[] = [];
  for (const points of SIZES) {
    for (const kind of KINDS) {
      const r = await page.evaluate<{ items: Record<string, number>; arcs: number; marks: number }>(`redrawn(${JSON.stringify({ spec, windows: points / PER_WINDOW, kind, after: 3 })})`);
      redrawn.push({ case: `${kind}: ${points.toLocaleString('en')} points`, ours: `${r.arcs.toLocaleString('en')} circles drawn; changed: ${Object.entries(r.items).map(([k, n]) => `${n} ${k}`).join(', ')}`, baseline: `${r.marks.toLocaleString('en')} circles drawn`, ratio: r.marks / Math.max(1, r.arcs) });
    }
  }
  printTable('What one update redraws on the live view (circles the canvas draws; the scenegraph items Vega marks changed), after three of the same kind; baseline: a full re-render draws every circle', redrawn);
  // 2. a sustained rate at 10k points
  const rate = await sustained(page, 10_000, 30, 5);
  const rateRow = (r: Rate) => `${r.perSecond.toFixed(1)} updates/s drawn (${r.drawn} of ${r.due} due) in ${r.framesPerSecond.toFixed(1)} frames/s; due → on screen p50 ${percentile(r.lags, 50).toFixed(0)} ms, p95 ${percentile(r.lags, 95).toFixed(0)} ms; work per frame p50 ${percentile(r.work, 50).toFixed(1)} ms`;
  printTable('30 slide updates a second for 5 s at 10,000 points: each frame draws what fell due (ratio: p95 time to the screen, baseline / windowpane)', [{ case: '10,000 points, 30 updates/s', ours: rateRow(rate.ours), baseline: rateRow(rate.baseline), ratio: percentile(rate.baseline.lags, 95) / percentile(rate.ours.lags, 95) }]);
  // 3. a 10k-row changeset on the comm: JSON or Arrow
  const rows = changesetRows(10_000);
  const enc = encodeBoth(rows, 15);
  const dec = await page.evaluate<{ jsonMs: number[]; arrowMs: number[] }>(`runDecode(${JSON.stringify({ json: enc.json, arrow: Buffer.from(enc.arrow).toString('base64'), repeats: 15 })})`);
  printTable('A changeset of 10,000 rows on the comm: Arrow IPC in a binary buffer (windowpane) vs JSON (baseline)', [
    { case: 'bytes', ours: `${enc.arrow.byteLength.toLocaleString('en')} B`, baseline: `${enc.json.length.toLocaleString('en')} B`, ratio: enc.json.length / enc.arrow.byteLength },
    { case: 'kernel: encode', ours: fmt(summarize(enc.arrowMs), 'ms'), baseline: fmt(summarize(enc.jsonMs), 'ms'), ratio: summarize(enc.jsonMs).median / summarize(enc.arrowMs).median },
    { case: 'Chromium: decode to rows', ours: fmt(summarize(dec.arrowMs), 'ms'), baseline: fmt(summarize(dec.jsonMs), 'ms'), ratio: summarize(dec.jsonMs).median / summarize(dec.arrowMs).median },
  ]);
  // 4. the level of detail's choice in DuckDB at 100k points
  const lod = [await lodFigures('line', 100_000, 10), await lodFigures('point', 100_000, 10)];
  printTable('Level of detail at 100,000 points (8 series), chosen in DuckDB: rows drawn, first choice, and each choice after 100 new rows', lod.map((l) => ({
    case: `${l.mark}: ${l.points.toLocaleString('en')} points → ${l.drawn.toLocaleString('en')} drawn`,
    ours: `first ${l.firstMs.toFixed(1)} ms; then ${fmt(summarize(l.updateMs), 'ms')}`,
    baseline: `${l.points.toLocaleString('en')} rows drawn`,
  })));
  // 5. the kernel's snapshots
  printTable('Kernel snapshot per display update (SVG + PNG): persistent headless view fed by changesets (windowpane) vs a new view per update (baseline)', await kernelSnapshots(spec, baseline, SIZES));
  if (args.includes('--json')) console.log(`BENCH_JSON ${JSON.stringify({ updates: measured, rate, transport: { bytes: { arrow: enc.arrow.byteLength, json: enc.json.length }, encode: { arrow: enc.arrowMs, json: enc.jsonMs }, decode: dec }, lod })}`);
} finally {
  await context.close();
  rmSync(userData, { recursive: true, force: true });
}
