/** The level of detail's request in DuckDB at 100k points: the first choice, then after each batch of new rows. */
import type { ChartTuple } from '../../src/chart/changelog.js';
import { lodPlan } from '../../src/chart/lod/plan.js';
import { LodTable } from '../../src/chart/lod/table.js';
import { DEFAULT_MAX_POINTS } from '../../src/chart/options.js';

export interface LodFigures {
  readonly mark: string;
  readonly points: number;
  readonly drawn: number;
  readonly firstMs: number;
  readonly updateMs: number[];
}

const point = (i: number, series: number): ChartTuple => ({ key: `${i}`, window_start: 1_700_000_000_000 + Math.floor(i / series) * 60_000, g: `g${i % series}`, n: Math.round(Math.sin(i / 500) * 100 + ((i * 7919) % 37)), kind: 'final', late: 0 });

export async function lodFigures(mark: 'line' | 'point', points: number, updates: number): Promise<LodFigures> {
  const series = 8;
  const plan = lodPlan({ mark, width: 800, height: 400, encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' }, color: { field: 'g', type: 'nominal' } } });
  if (plan.kind === 'none') throw new Error(`no level of detail for ${mark}`);
  const table = await LodTable.create(plan);
  try {
    let t0 = performance.now();
    await table.apply(new Map(Array.from({ length: points }, (_, i) => [String(i), point(i, series)])));
    let drawn = (await table.select(DEFAULT_MAX_POINTS)).size;
    const firstMs = performance.now() - t0;
    const updateMs: number[] = [];
    for (let u = 0; u < updates; u++) {
      const batch = new Map(Array.from({ length: 100 }, (_, j) => [String(points + u * 100 + j), point(points + u * 100 + j, series)]));
      t0 = performance.now();
      await table.apply(batch);
      drawn = (await table.select(DEFAULT_MAX_POINTS)).size;
      updateMs.push(performance.now() - t0);
    }
    return { mark, points, drawn, firstMs, updateMs };
  } finally {
    table.close();
  }
}
