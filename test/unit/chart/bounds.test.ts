/**
 * Charts fit their image: for specs like the notebooks' (a legend of group names, a log scale, axis
 * titles, the summary line) the static SVG — and so the PNG drawn from it — holds everything the
 * chart paints, also when the chart started empty and grew as rows arrived, as a live chart does.
 * The painted box is measured with resvg and the PNG's font (test/helpers/svg-bounds.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chart } from '../../../src/chart/index.js';
import type { ChartRow } from '../../../src/chart/changelog.js';
import { overflow, svgSize } from '../../helpers/svg-bounds.js';
import { minuteCounts, row, seeded } from './fixtures.js';

const V6 = 'https://vega.github.io/schema/vega-lite/v6.json';
const x = { field: 'window_start', type: 'temporal', title: 'window start (UTC)' };

/** An async source the test feeds step by step, so the chart can be drawn while it grows. */
function feed(): { source: AsyncIterable<ChartRow>; push(rows: readonly ChartRow[]): Promise<void>; end(): void } {
  const queue: (ChartRow | null)[] = [];
  let wake: (() => void) | undefined;
  let taken: (() => void) | undefined;
  return {
    source: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (queue.length === 0) {
            taken?.();
            await new Promise<void>((r) => (wake = r));
          }
          const next = queue.shift()!;
          if (next === null) return;
          yield next;
        }
      },
    },
    async push(rows) {
      queue.push(...rows);
      const drained = new Promise<void>((r) => (taken = r));
      wake?.();
      await drained;
    },
    end() {
      queue.push(null);
      wake?.();
    },
  };
}

const spread = (n: number, groups: readonly string[], scale: number) => {
  const rand = seeded(11);
  return Array.from({ length: n }, (_, i) => groups.map((g) => row(i, 'final', { spent: Math.round(5 + rand() * scale) }, { card_id: g }))).flat();
};

const cases: Record<string, { spec: Record<string, unknown>; rows: () => ChartRow[] }> = {
  'lines with a legend of group names': {
    spec: { $schema: V6, title: 'Average delay by origin airport', width: 500, height: 200, mark: 'line', encoding: { x, y: { field: 'n', type: 'quantitative', title: 'average delay (minutes)' }, color: { field: 'airline', type: 'nominal', title: 'origin' } } },
    rows: () => minuteCounts(30, ['ATL', 'DFW', 'ORD', 'LAX', 'PHX', 'STL']),
  },
  'points on a log scale': {
    spec: { $schema: V6, title: 'Busy card windows', width: 500, height: 200, mark: { type: 'point', filled: true }, encoding: { x, y: { field: 'spent', type: 'quantitative', scale: { type: 'log' }, title: 'spent in the window' }, color: { field: 'card_id', type: 'nominal' } } },
    rows: () => spread(20, ['card-0001', 'card-0002'], 5000),
  },
  'a heatmap with a gradient legend': {
    spec: { $schema: V6, title: 'Delay by hour and airport', width: 500, height: 120, mark: 'rect', encoding: { x: { ...x }, x2: { field: 'window_end' }, y: { field: 'airline', type: 'nominal', title: 'origin' }, color: { field: 'n', type: 'quantitative', title: 'average delay (minutes)' } } },
    rows: () => minuteCounts(40, ['ATL', 'DFW', 'ORD']),
  },
};

for (const [name, { spec, rows }] of Object.entries(cases)) {
  test(`the static image holds the whole chart: ${name}`, async () => {
    const all = rows();
    const f = feed();
    const c = chart(f.source, spec, { display: false });
    const empty = await c.svg();
    assert.deepEqual(overflow(empty), [], 'the empty chart');
    await f.push(all.slice(0, 3));
    assert.deepEqual(overflow(await c.svg()), [], 'after the first rows');
    await f.push(all.slice(3));
    f.end();
    await c.done;
    const full = await c.svg();
    assert.deepEqual(overflow(full), [], 'with every row');
    const png = await c.png();
    // a PNG's size is in its header (IHDR): it is the SVG's, nothing is cropped
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    assert.deepEqual({ width: view.getUint32(16), height: view.getUint32(20) }, svgSize(full));
  });
}
