/** The level-of-detail request in DuckDB: M4 keeps each series' extremes per pixel column; the grid one point per cell; both within the budget. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LodTable } from '../../../../src/chart/lod/table.js';
import type { ChartTuple } from '../../../../src/chart/changelog.js';
import { seeded } from '../fixtures.js';

const tuple = (i: number, g: string, n: number): ChartTuple => ({ key: `${g}|${i}`, window_start: i * 1000, g, n, kind: 'final', late: 0 });

function rows(count: number, groups: readonly string[]): Map<string, ChartTuple> {
  const rand = seeded(11);
  const out = new Map<string, ChartTuple>();
  for (let i = 0; i < count; i++) for (const g of groups) {
    const t = tuple(i, g, Math.round(Math.sin(i / 50) * 100 + rand() * 20));
    out.set(t.key, t);
  }
  return out;
}

test('M4: per series and x bin the rows at min and max y and first and last x', async () => {
  const all = rows(10_000, ['a', 'b']);
  const table = await LodTable.create({ kind: 'm4', x: 'window_start', y: 'n', series: ['g'], bins: 100 });
  try {
    await table.apply(all);
    const keep = await table.select(10_000);
    assert.ok(keep.size <= 100 * 4 * 2 && keep.size >= 100 * 2 * 2, `${keep.size} rows kept`);
    // check one bin of series a by hand: x 0..99 (the first hundredth of 0..9999)
    const bin = [...all.values()].filter((t) => t.g === 'a' && (t.window_start as number) < 100_000);
    const byN = [...bin].sort((p, q) => (p.n as number) - (q.n as number));
    for (const t of [byN[0]!, byN.at(-1)!, bin[0]!, bin.at(-1)!]) assert.ok(keep.has(t.key), `${t.key} kept`);
    // the budget: 4 rows × 2 series × bins ≤ 400 → 50 bins
    const small = await table.select(400);
    assert.ok(small.size <= 400 && small.size > 100, `${small.size} rows within a budget of 400`);
    // revisions and removals by key
    const changes = new Map<string, ChartTuple | null>([['a|5', tuple(5, 'a', 10_000)], ['a|6', null]]);
    await table.apply(changes);
    const after = await table.select(10_000);
    assert.ok(after.has('a|5'), 'the new maximum is kept');
    assert.ok(!after.has('a|6'), 'a removed row is gone');
  } finally {
    table.close();
  }
});

test('grid: one row per series and cell, fewer cells when the budget is small', async () => {
  const all = rows(20_000, ['a']);
  const table = await LodTable.create({ kind: 'grid', x: 'window_start', y: 'n', series: ['g'], xBins: 100, yBins: 50 });
  try {
    await table.apply(all);
    const keep = await table.select(100_000);
    assert.ok(keep.size <= 100 * 50 && keep.size > 500, `${keep.size} cells with points`);
    const small = await table.select(1000);
    assert.ok(small.size <= 1000, `${small.size} within a budget of 1000`);
  } finally {
    table.close();
  }
});

test('rows whose x or y is not a number are not drawn', async () => {
  const table = await LodTable.create({ kind: 'm4', x: 'window_start', y: 'n', series: [], bins: 10 });
  try {
    await table.apply(new Map([['a', tuple(1, 'a', 1)], ['b', { ...tuple(2, 'a', 1), n: null }], ['c', { ...tuple(3, 'a', 1), window_start: 'x' }]]));
    assert.deepEqual([...(await table.select(100))], ['a'], 'only the row with numbers, by its key');
  } finally {
    table.close();
  }
});
