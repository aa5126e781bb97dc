/**
 * Above the point budget a chart draws its level of detail: its outputs (snapshots, comms, payload)
 * hold the rows DuckDB chose, never more than the budget; rows already drawn change at once; back
 * under half the budget every row is drawn again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chart, CHART_MIME, type ChartPayload } from '../../../../src/chart/index.js';
import { ChartModel, type ModelListener } from '../../../../src/chart/model.js';
import { LodView } from '../../../../src/chart/lod/view.js';
import type { ChartTuple } from '../../../../src/chart/changelog.js';
import { RecordingHost } from '../recording-host.js';

const point = (i: number, n = i % 97): ChartTuple => ({ key: String(i), x: i, n, kind: 'final', late: 0 });

class Held implements ModelListener {
  readonly rows = new Map<string, ChartTuple>();
  most = 0;
  upsert(t: ChartTuple): void {
    this.rows.set(t.key, t);
    this.most = Math.max(this.most, this.rows.size);
  }
  remove(key: string): void {
    this.rows.delete(key);
  }
}

test('the listeners never hold more than the budget, and follow what DuckDB keeps', async () => {
  const model = new ChartModel(2000);
  let changed = 0;
  const view = new LodView(model, { kind: 'grid', x: 'x', y: 'n', series: [], xBins: 20, yBins: 10 }, 600, { changed: () => changed++, failed: (e) => assert.fail(String(e)) });
  const held = new Held();
  view.listen(held);
  for (let i = 0; i < 1500; i++) model.upsert(point(i), `w${i}`, i);
  assert.equal(view.reducing, true);
  assert.ok(held.most <= 601, `held at most ${held.most}`);
  await view.settle();
  assert.ok(changed > 0);
  assert.deepEqual([...held.rows.keys()].sort(), view.values().map((t) => t.key).sort());
  assert.ok(held.rows.size <= 600 && held.rows.size > 50, `${held.rows.size} drawn`);
  // a row that is drawn changes at once
  const drawn = [...held.rows.keys()][0]!;
  model.upsert({ ...point(Number(drawn), 1), kind: 'revised' }, `w${drawn}`, Number(drawn));
  assert.equal(held.rows.get(drawn)?.kind, 'revised');
  // retention drops most windows: under half the budget every row is drawn
  const small = new ChartModel(200);
  const again = new LodView(small, { kind: 'grid', x: 'x', y: 'n', series: [], xBins: 20, yBins: 10 }, 600, { changed: () => undefined, failed: (e) => assert.fail(String(e)) });
  const all = new Held();
  again.listen(all);
  for (let i = 0; i < 700; i++) small.upsert(point(i), `w${i}`, i);
  assert.equal(all.rows.size, 200, 'retention keeps it under the budget: every row');
  assert.equal(again.reducing, false);
  view.close();
  again.close();
});

test('chart(): over maxPoints its payload, summary and images show the level of detail', async () => {
  const host = new RecordingHost();
  const records = Array.from({ length: 30_000 }, (_, i) => ({ x: i, n: Math.round(Math.sin(i / 300) * 100) }));
  const c = chart(records, { mark: 'point', width: 300, height: 150, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'n', type: 'quantitative' } } }, { host, maxPoints: 5000, summary: true });
  await c.done;
  const payload = host.shown.at(-1)!.data[CHART_MIME] as ChartPayload;
  assert.ok(payload.values.length <= 5000 && payload.values.length > 1000, `${payload.values.length} rows in the payload`);
  assert.match(payload.summary, new RegExp(`${payload.values.length.toLocaleString('en-US')} of 30,000 rows drawn \\(level of detail\\)`));
  const svg = await c.svg();
  assert.equal((svg.match(/<path aria-label=/g) ?? []).length, payload.values.length, 'the image draws the same rows');
  // the kernel's comm carried the same rows in the end
  const held = new Map<string, unknown>();
  for (const m of host.opened[0]!.comm.received()) {
    if (m?.type === 'reset') for (const t of m.values) held.set(t.key, t);
    if (m?.type === 'changes') {
      for (const k of m.remove) held.delete(k);
      for (const t of m.upsert) held.set(t.key, t);
    }
  }
  assert.deepEqual([...held.keys()].sort(), payload.values.map((t) => t.key).sort());
});

test('a bar chart, or Infinity, draws every row', async () => {
  const records = Array.from({ length: 3000 }, (_, i) => ({ x: i, n: i % 10 }));
  const bars = chart(records, { mark: 'bar', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'n', type: 'quantitative' } } }, { display: false, maxPoints: 1000 });
  await bars.done;
  assert.equal(bars.payload().values.length, 3000);
  const points = chart(records, { mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'n', type: 'quantitative' } } }, { display: false, maxPoints: Infinity });
  await points.done;
  assert.equal(points.payload().values.length, 3000);
});
