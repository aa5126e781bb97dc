import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChartModel } from '../../../src/chart/model.js';
import { rowToTuple, recordToTuple } from '../../../src/chart/changelog.js';
import { row } from './fixtures.js';

function apply(model: ChartModel, r: ReturnType<typeof row>): void {
  model.upsert(rowToTuple(r), `${r.windowStart}|${r.windowEnd}`, r.windowStart);
}

function recorder(model: ChartModel) {
  const events: string[] = [];
  model.listen({ upsert: (t) => events.push(`+${t.key}`), remove: (k) => events.push(`-${k}`) });
  return events;
}

test('a row with the same key replaces the earlier one', () => {
  const model = new ChartModel();
  apply(model, row(0, 'provisional', { n: 1 }));
  apply(model, row(0, 'final', { n: 4 }));
  assert.equal(model.size, 1);
  assert.equal(model.values()[0]?.n, 4);
  assert.equal(model.values()[0]?.kind, 'final');
});

test('retention keeps the last N windows and removes whole windows, oldest first', () => {
  const model = new ChartModel(2);
  const events = recorder(model);
  for (let i = 0; i < 4; i++) for (const g of ['a', 'b']) apply(model, row(i, 'final', { n: i }, { g }));
  assert.equal(model.summary().windows, 2);
  assert.equal(model.size, 4);
  assert.deepEqual(
    model.values().map((t) => t.window_start).sort(),
    [2, 2, 3, 3].map((i) => row(i, 'final', {}).windowStart),
  );
  assert.equal(model.summary().evicted, 2);
  assert.equal(events.filter((e) => e.startsWith('-')).length, 4);
});

test('a row for a window older than the retained ones is counted, not drawn', () => {
  const model = new ChartModel(2);
  apply(model, row(5, 'final', { n: 1 }));
  apply(model, row(6, 'final', { n: 1 }));
  apply(model, row(1, 'revised', { n: 9 }));
  assert.equal(model.size, 2);
  assert.equal(model.summary().tooOld, 1);
});

test('windows arriving out of order are evicted by start, not arrival', () => {
  const model = new ChartModel(2);
  apply(model, row(3, 'final', { n: 1 }));
  apply(model, row(1, 'final', { n: 1 }));
  apply(model, row(2, 'final', { n: 1 }));
  assert.deepEqual(model.values().map((t) => t.window_start).sort(), [row(2, 'final', {}).windowStart, row(3, 'final', {}).windowStart]);
});

test('retraction removes a key; late counts survive replacement and eviction', () => {
  const model = new ChartModel(1);
  const events = recorder(model);
  apply(model, row(0, 'final', { n: 1 }, {}, 2));
  apply(model, row(0, 'revised', { n: 2 }, {}, 3));
  assert.equal(model.summary().late, 3);
  apply(model, row(1, 'final', { n: 1 }, {}, 1));
  assert.equal(model.summary().late, 4);
  model.remove(row(1, 'final', {}).key);
  assert.equal(model.size, 0);
  assert.equal(events.at(-1), `-${row(1, 'final', {}).key}`);
});

test('summary counts rows by kind', () => {
  const model = new ChartModel();
  apply(model, row(0, 'final', { n: 1 }));
  apply(model, row(1, 'revised', { n: 1 }));
  apply(model, row(2, 'provisional', { n: 1 }));
  assert.deepEqual(model.summary().byKind, { provisional: 1, final: 1, revised: 1 });
});

test('plain records become final tuples keyed by position or by a field', () => {
  assert.deepEqual(recordToTuple({ a: 1, when: new Date(5) }, 3), { a: 1, when: 5, key: '3', kind: 'final', late: 0 });
  assert.equal(recordToTuple({ id: 'x', v: 2n }, 0, 'id').key, 'x');
  assert.equal(recordToTuple({ v: 2n }, 0).v, 2);
});
