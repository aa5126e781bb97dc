import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderAsync } from '@resvg/resvg-js';
import { chartFonts, hasChartFont } from '../../../src/chart/fonts.js';
import { svgToPng } from '../../../src/chart/render.js';

const textOnly = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><rect width="120" height="30" fill="white"/><text x="4" y="20" font-family="sans-serif" font-size="16px" fill="#000">Windowpane</text></svg>';

test('text renders in PNGs from a local font file, with no font download', async () => {
  assert.ok(hasChartFont(), 'no DejaVu Sans or Liberation Sans font found: install fonts-dejavu-core');
  assert.equal(chartFonts().loadSystemFonts, false);
  const image = await renderAsync(textOnly, { font: chartFonts() });
  let dark = 0;
  for (let i = 0; i < image.pixels.length; i += 4) if ((image.pixels[i] ?? 255) < 128) dark++;
  assert.ok(dark > 100, `only ${dark} dark pixels: the text did not render`);
});

test('svgToPng writes a PNG of the SVG size times the zoom', async () => {
  const png = await svgToPng(textOnly, 2);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  const view = new DataView(png.buffer, png.byteOffset);
  assert.deepEqual([view.getUint32(16), view.getUint32(20)], [240, 60]);
});

test('snapshots render the same in the worker thread as in-process', async () => {
  const { Snapshots } = await import('../../../src/chart/snapshots.js');
  const { compileChart } = await import('../../../src/chart/spec.js');
  const { recordToTuple } = await import('../../../src/chart/changelog.js');
  const vega = compileChart({ mark: 'bar', encoding: { x: { field: 'k', type: 'nominal' }, y: { field: 'v', type: 'quantitative' } } }, { summary: false }).vega;
  const worker = new Snapshots('w', vega);
  const local = new Snapshots('l', vega, true);
  for (const [i, r] of [{ k: 'a', v: 1 }, { k: 'b', v: 4 }, { k: 'a', v: 2 }].entries()) {
    const t = recordToTuple(r, i, 'k');
    worker.upsert(t);
    local.upsert(t);
  }
  worker.remove('b');
  local.remove('b');
  const [a, b] = await Promise.all([worker.render(undefined, 1), local.render(undefined, 1)]);
  assert.equal(a.svg, b.svg);
  assert.equal((a.svg.match(/<path aria-label="k: /g) ?? []).length, 1);
  assert.ok(a.png && a.png.length > 100);
  worker.close();
  local.close();
});
