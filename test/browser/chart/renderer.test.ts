/**
 * The JupyterLab renderer in real Chromium against a real JupyterLab: a saved notebook whose outputs
 * carry the chart MIME type draws its marks from a live Vega view (a compiled v6 spec, and a v5 spec
 * that the extension compiles itself), without the kernel.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chart, CHART_MIME, type ChartPayload } from '../../../src/chart/index.js';
import { minuteCounts } from '../../unit/chart/fixtures.js';
import { chartMarks, startLab, waitForCharts, type Lab } from './lab.js';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.stop();
});

function output(bundle: Record<string, unknown>) {
  return { output_type: 'display_data', data: bundle, metadata: {} };
}

test('a saved chart output renders as a Vega view with one mark per row (v6 compiled, v5 compiled in the browser)', async () => {
  const bars = chart(minuteCounts(12, ['all']), { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', mark: 'bar', encoding: { x: { field: 'window_start', type: 'ordinal', timeUnit: 'utchoursminutes' }, y: { field: 'n', type: 'quantitative' } } }, { display: false, summary: true });
  await bars.done;
  const v6 = await bars.bundle();
  const points = chart([{ a: 1, b: 2 }, { a: 2, b: 5 }, { a: 3, b: 1 }], { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } } }, { display: false });
  await points.done;
  const p = points.payload();
  const { vega: _vega, ...vegaLiteOnly } = p;
  const v5: Record<string, unknown> = { [CHART_MIME]: { ...vegaLiteOnly, vegaLite: { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } } } } satisfies Omit<ChartPayload, 'vega'>, 'text/plain': '<chart>' };
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'windowpane', display_name: 'Windowpane (TypeScript)', language: 'typescript' } },
    cells: [
      { cell_type: 'code', id: 'c1', execution_count: 1, metadata: {}, source: 'chart(q, spec)', outputs: [output(v6)] },
      { cell_type: 'code', id: 'c2', execution_count: 2, metadata: {}, source: 'chart(rows, spec)', outputs: [output(v5)] },
    ],
  };
  mkdirSync(lab.rootDir, { recursive: true });
  writeFileSync(join(lab.rootDir, 'fixed.ipynb'), JSON.stringify(nb));
  const page = await lab.open('fixed.ipynb');
  await waitForCharts(page, 2);
  const first = await chartMarks(page, 0);
  assert.equal(first.rows, 12);
  assert.equal(first.items.rect, 12);
  assert.match(first.summary, /9 final · 2 provisional \(faded\) · 1 revised \(outlined\) \/ 12 windows · 3 late events · finished/);
  assert.equal(first.state, 'finished');
  const second = await chartMarks(page, 1);
  assert.equal(second.rows, 3);
  assert.equal(second.items.symbol, 3);
  assert.equal(await page.locator('.jp-OutputArea-output img').count(), 0, 'our renderer, not the static image');
  mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
  await page.screenshot({ path: join(process.cwd(), 'test-results', 'chart-renderer.png') });
  await page.close();
});
