/**
 * Live charts in Chromium: bench/chart.ts run as is (the extension's own live view beside a full
 * re-render of the spec, in the same page), its raw figures read from its --json line.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../../src/util/paths.js';
import type { Context } from '../context.js';
import { figure, missing, type Cell, type Row, type Section } from '../report.js';

interface Times {
  readonly times: number[];
  readonly work: number[];
}

interface BenchJson {
  readonly updates: readonly { readonly kind: string; readonly points: number; readonly ours: Times; readonly baseline: Times }[];
  readonly rate: Readonly<Record<'ours' | 'baseline', { readonly perSecond: number; readonly due: number; readonly drawn: number; readonly lags: number[]; readonly work: number[] }>>;
  readonly transport: { readonly bytes: { readonly arrow: number; readonly json: number }; readonly encode: { readonly arrow: number[]; readonly json: number[] }; readonly decode: { readonly arrowMs: number[]; readonly jsonMs: number[] } };
  readonly lod: readonly { readonly mark: string; readonly points: number; readonly drawn: number; readonly firstMs: number; readonly updateMs: number[] }[];
}

const OURS = 'Windowpane';
const BASE = 'full re-render / JSON';
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const text = (t: string): Cell => ({ kind: 'text', text: t });
const cheaper = (base: readonly number[], ours: readonly number[]): Cell => text(`${(median(base) / median(ours)).toFixed(1)}× cheaper`);

function rows(r: BenchJson): Row[] {
  const out: Row[] = [];
  for (const u of r.updates) {
    const name = `${u.kind}, ${u.points.toLocaleString('en-US')} points`;
    out.push({ name: `${name}: to the next frame`, cells: { [OURS]: figure(u.ours.times, 'ms', 1), [BASE]: figure(u.baseline.times, 'ms', 1), factor: cheaper(u.baseline.times, u.ours.times) } });
    out.push({ name: `${name}: main-thread work`, cells: { [OURS]: figure(u.ours.work, 'ms', 1), [BASE]: figure(u.baseline.work, 'ms', 1), factor: cheaper(u.baseline.work, u.ours.work) } });
  }
  const held = (x: BenchJson['rate']['ours']) => text(`${x.perSecond.toFixed(1)} updates/s drawn (${x.drawn} of ${x.due}); due → on screen p95 ${[...x.lags].sort((a, b) => a - b)[Math.floor(x.lags.length * 0.95)]?.toFixed(0) ?? '?'} ms`);
  out.push({ name: '30 slide updates/s for 5 s, 10,000 points', cells: { [OURS]: held(r.rate.ours), [BASE]: held(r.rate.baseline), factor: text('') } });
  out.push({ name: '30 updates/s, 10,000 points: work per drawing frame', cells: { [OURS]: figure(r.rate.ours.work, 'ms', 1), [BASE]: figure(r.rate.baseline.work, 'ms', 1), factor: cheaper(r.rate.baseline.work, r.rate.ours.work) } });
  const t = r.transport;
  out.push({ name: 'a 10,000-row changeset on the comm: bytes (Arrow IPC vs JSON)', cells: { [OURS]: text(`${t.bytes.arrow.toLocaleString('en-US')} B`), [BASE]: text(`${t.bytes.json.toLocaleString('en-US')} B`), factor: text(`${(t.bytes.json / t.bytes.arrow).toFixed(1)}× fewer`) } });
  out.push({ name: 'the same changeset: encoding in the kernel', cells: { [OURS]: figure(t.encode.arrow, 'ms', 1), [BASE]: figure(t.encode.json, 'ms', 1), factor: cheaper(t.encode.json, t.encode.arrow) } });
  out.push({ name: 'the same changeset: decoding to rows in Chromium', cells: { [OURS]: figure(t.decode.arrowMs, 'ms', 1), [BASE]: figure(t.decode.jsonMs, 'ms', 1), factor: cheaper(t.decode.jsonMs, t.decode.arrowMs) } });
  for (const l of r.lod) {
    out.push({ name: `level of detail, ${l.mark}, ${l.points.toLocaleString('en-US')} points → ${l.drawn.toLocaleString('en-US')} drawn: DuckDB's choice after 100 new rows (first: ${l.firstMs.toFixed(0)} ms)`, cells: { [OURS]: figure(l.updateMs, 'ms', 1), [BASE]: text(`${l.points.toLocaleString('en-US')} rows sent and drawn`), factor: text(`${(l.points / l.drawn).toFixed(1)}× fewer rows`) } });
  }
  return out;
}

export function chartCase(ctx: Context): Promise<Section> {
  ctx.log('chart: bench/chart.ts (Chromium)');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(packageRoot, 'bench', 'chart.ts'), '--json'], { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 1_800_000, maxBuffer: 64 << 20 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_JSON '));
  const columns = [OURS, BASE, 'factor'];
  const base = { id: 'chart', title: 'Live chart updates in Chromium: the extension\'s live view (changesets, stable domains, box-by-box redraw) vs re-rendering the whole Vega-Lite spec', columns, higherIsBetter: false };
  if (r.status !== 0 || !line) {
    const why = `bench/chart.ts exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}`;
    return Promise.resolve({ ...base, rows: [{ name: 'chart', cells: { [OURS]: missing(why) } }], notes: [] });
  }
  return Promise.resolve({
    ...base,
    rows: rows(JSON.parse(line.slice('BENCH_JSON '.length)) as BenchJson),
    direction: 'Lower is better (times); the sustained rows say how many of the updates due were drawn and how late.',
    notes: [
      'A circle chart (x window start, y a count, colour one of 8 groups, 800×400) holding 10 to 1,000 windows of 100 points. Per update: *append* adds a window, *slide* adds one and drops the oldest (retention), *revise* changes 100 points of a window in place (late data). Windowpane: the JupyterLab extension\'s live view (extensions/windowpane-jupyterlab/src/live-view.ts, bundled with esbuild) applying the update as one Vega changeset, with stable domains (src/chart/domains.ts) and its canvas redrawn box by box (regions.ts). Baseline: a new Vega view of the same Vega-Lite spec with all its rows (what re-embedding the chart on each update_display_data costs), in the same page and run. *To the next frame*: from the update to the animation frame after it is drawn; *main-thread work*: the same without the wait for the frame.',
      'The 100,000-point rows measure the renderer alone: a chart does not draw that many, above its point budget (10,000 by default) it draws a level of detail chosen in DuckDB (the last rows).',
      'The machine is shared with other work: the figures vary from run to run by up to 2× (see min–max).',
    ],
  });
}
