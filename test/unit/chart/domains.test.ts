/**
 * Stable domains: continuous scales step with headroom while live and are exact otherwise; discrete
 * scales read a dataset of distinct values that changes only when a value appears or goes. Checked on
 * a real Vega view: a scale whose domain did not change is not evaluated again (its operator's stamp
 * stays), so the marks that use it are not encoded again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { View, parse } from 'vega';
import { compileChart } from '../../../src/chart/spec.js';
import { distinctValues, STEPPED_SIGNAL } from '../../../src/chart/domains.js';
import { ViewFeed } from '../../../src/chart/feed.js';
import { DATA_NAME } from '../../../src/chart/spec.js';

const spec = compileChart({
  mark: 'point',
  encoding: { x: { field: 'window_start', type: 'quantitative', scale: { zero: false } }, y: { field: 'n', type: 'quantitative' }, color: { field: 'g', type: 'nominal' } },
}).vega;

const point = (w: number, g: string, n: number) => ({ key: `${w}|${g}`, window_start: w, g, n, kind: 'final', late: 0 });

/** A scale's domain as the view has it now. */
const domainOf = (view: View, name: string): unknown[] => (view.scale(name) as { domain(): unknown[] }).domain();

/** The scale operator of `name`: its stamp is the last pulse it ran in. */
const scaleStamp = (view: View, name: string): number => (view as unknown as { _runtime: { scales: Record<string, { stamp: number }> } })._runtime.scales[name]!.stamp;

async function viewOf(live: boolean): Promise<{ view: View; feed: ViewFeed }> {
  const view = new View(parse(spec), { renderer: 'none' });
  const feed = new ViewFeed(view, DATA_NAME, spec);
  feed.setLive(live);
  for (let w = 0; w < 100; w++) for (const g of ['a', 'b']) feed.upsert(point(w, g, 10 + (w % 7)));
  feed.flush();
  await view.runAsync();
  return { view, feed };
}

test('the compiled spec: domains from signals over extents, a distinct-value dataset for the nominal field', () => {
  const x = spec.scales?.find((s) => s.name === 'x');
  assert.deepEqual(x?.domain, [{ signal: 'windowpane_lo_x' }, { signal: 'windowpane_hi_x' }]);
  assert.deepEqual(spec.scales?.find((s) => s.name === 'color')?.domain, { data: 'windowpane_values_color', field: 'value', sort: true });
  assert.deepEqual(distinctValues(spec), [{ data: 'windowpane_values_color', field: 'g' }]);
  assert.deepEqual(spec.signals?.find((s) => s.name === STEPPED_SIGNAL), { name: STEPPED_SIGNAL, value: false }, 'exact unless a live renderer says so');
  const explicit = compileChart({ mark: 'point', encoding: { x: { field: 'a', type: 'quantitative', scale: { domain: [0, 5] } }, y: { field: 'b', type: 'ordinal', timeUnit: 'hours' } } }).vega;
  assert.deepEqual(explicit.scales?.find((s) => s.name === 'x')?.domain, [0, 5], 'an explicit domain stays');
  assert.deepEqual(distinctValues(explicit), [], 'a derived field (time unit) keeps its data domain');
});

test('live: the domains step with headroom, and appends within a step leave every scale alone', async () => {
  const { view, feed } = await viewOf(true);
  // x: 0..99, span 99 → step 2 (a fifth of 10); y: 10..16 → span 6, step 0.2
  assert.deepEqual(domainOf(view, 'x'), [0, 100]);
  const stamps = () => ['x', 'y', 'color'].map((s) => scaleStamp(view, s));
  const before = stamps();
  feed.upsert(point(99.5, 'a', 12));
  feed.upsert(point(50, 'b', 15)); // a revision
  feed.flush();
  await view.runAsync();
  assert.deepEqual(stamps(), before, 'no scale ran again: the marks were not encoded again');
  feed.upsert(point(101, 'a', 12));
  feed.flush();
  await view.runAsync();
  assert.deepEqual(domainOf(view, 'x'), [0, 120], 'past the headroom: the next step (the span passed 100: steps of 20)');
  assert.notEqual(scaleStamp(view, 'x'), before[0]);
  assert.equal(scaleStamp(view, 'color'), before[2], 'the color domain did not change');
  feed.upsert(point(102, 'c', 12));
  feed.flush();
  await view.runAsync();
  assert.deepEqual(domainOf(view, 'color'), ['a', 'b', 'c'], 'a new value joins the discrete domain');
  feed.remove('102|c');
  feed.flush();
  await view.runAsync();
  assert.deepEqual(domainOf(view, 'color'), ['a', 'b'], 'and leaves with its last row');
  view.finalize();
});

test('not live (snapshots, the end): the exact data extent, as plain Vega-Lite', async () => {
  const { view, feed } = await viewOf(false);
  const bounds = () => [view.signal('windowpane_lo_x') as number, view.signal('windowpane_hi_x') as number];
  assert.deepEqual(bounds(), [0, 99], 'the extent (the scale then makes it nice)');
  feed.upsert(point(99.5, 'a', 12));
  feed.flush();
  await view.runAsync();
  assert.deepEqual(bounds(), [0, 99.5]);
  feed.setLive(true);
  await view.runAsync();
  assert.deepEqual(bounds(), [0, 100]);
  view.finalize();
});

test('the feed: one changeset per flush, copies of the rows, replaceAll sends only what differs', async () => {
  const { view, feed } = await viewOf(false);
  assert.equal(feed.size, 200);
  const heldRow = () => (view.data(DATA_NAME) as { key: string; n: number; g: string }[]).find((t) => t.key === '3|a');
  const before = heldRow();
  const row = point(3, 'a', 99);
  feed.upsert(row);
  assert.equal(feed.size, 200, 'a pending revision does not add a row');
  feed.flush();
  await view.runAsync();
  const held = heldRow();
  assert.equal(held?.n, 99);
  assert.notEqual(held, row, 'the view holds a copy');
  assert.equal(held, before, 'a revision modifies the held row in place');
  feed.upsert({ ...point(3, 'a', 99), g: 'q' });
  feed.flush();
  await view.runAsync();
  assert.deepEqual(domainOf(view, 'color'), ['a', 'b', 'q'], 'a revised group value is counted again');
  feed.replaceAll([point(1, 'z', 1)]);
  assert.equal(feed.size, 1);
  assert.equal(feed.flush(), true);
  assert.equal(feed.flush(), false, 'nothing pending');
  await view.runAsync();
  assert.deepEqual(domainOf(view, 'color'), ['z']);
  view.finalize();
});

test('the steps are nice numbers of at most a fifth of the span', async () => {
  const steps: Record<number, number> = {};
  for (const span of [6, 11, 99, 101, 1234, 6e6]) {
    const view = new View(parse(spec), { renderer: 'none' });
    const feed = new ViewFeed(view, DATA_NAME, spec);
    feed.setLive(true);
    feed.upsert(point(1000, 'a', 1));
    feed.upsert(point(1000 + span, 'a', 2));
    feed.flush();
    await view.runAsync();
    const step = view.signal('windowpane_step_x') as number;
    steps[span] = step;
    const hi = view.signal('windowpane_hi_x') as number;
    assert.ok(hi > 1000 + span && hi - (1000 + span) <= step, `headroom for a span of ${span}`);
    view.finalize();
  }
  assert.deepEqual(steps, { 6: 1, 11: 2, 99: 10, 101: 20, 1234: 200, 6e6: 1e6 });
});
