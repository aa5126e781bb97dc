/** Which charts draw a level of detail above their point budget, and how. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lodPlan } from '../../../../src/chart/lod/plan.js';

const x = { field: 'window_start', type: 'temporal' };
const y = { field: 'n', type: 'quantitative' };
const color = { field: 'g', type: 'nominal' };

test('lines, areas and trails: M4 per series, a bin per pixel column', () => {
  assert.deepEqual(lodPlan({ mark: 'line', width: 640, encoding: { x, y, color } }), { kind: 'm4', x: 'window_start', y: 'n', series: ['g'], bins: 640 });
  assert.deepEqual(lodPlan({ mark: { type: 'trail' }, encoding: { x, y, detail: { field: 'd', type: 'nominal' }, color } }), { kind: 'm4', x: 'window_start', y: 'n', series: ['g', 'd'], bins: 300 });
  assert.equal(lodPlan({ mark: 'area', encoding: { x, y } }).kind, 'm4');
  assert.equal(lodPlan({ mark: 'area', encoding: { x, y: { ...y, stack: null }, color } }).kind, 'm4', 'unstacked areas per series');
  assert.match(JSON.stringify(lodPlan({ mark: 'area', encoding: { x, y, color } })), /stacked areas/);
});

test('points: a grid of 3-pixel cells per series', () => {
  assert.deepEqual(lodPlan({ mark: 'circle', width: 600, height: 300, encoding: { x, y, color } }), { kind: 'grid', x: 'window_start', y: 'n', series: ['g'], xBins: 200, yBins: 100 });
});

test('everything else draws every row, and says why', () => {
  const none = (spec: Record<string, unknown>) => {
    const p = lodPlan(spec);
    return p.kind === 'none' ? p.reason : `not none: ${p.kind}`;
  };
  assert.match(none({ mark: 'bar', encoding: { x, y } }), /a bar mark draws every row/);
  assert.match(none({ layer: [{ mark: 'line', encoding: { x, y } }] }), /composite/);
  assert.match(none({ mark: 'line', encoding: { x: { ...x, timeUnit: 'hours' }, y } }), /plain quantitative or temporal/);
  assert.match(none({ mark: 'line', encoding: { x, y: { ...y, aggregate: 'sum' } } }), /plain quantitative or temporal/);
  assert.match(none({ mark: 'point', encoding: { x, y, size: { aggregate: 'count' } } }), /aggregating/);
  assert.match(none({ mark: 'line', encoding: { x: { field: 'g', type: 'nominal' }, y } }), /plain quantitative or temporal/);
});
