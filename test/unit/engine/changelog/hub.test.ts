/** The changelog table: its snapshot order whether rows come sorted or not, replacements, retention. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangelogHub } from '../../../../src/engine/changelog/hub.js';
import { changelogKey, type ChangeKind } from '../../../../src/engine/changelog/types.js';
import type { EngineRow } from '../../../../src/engine/exec/windowEngine.js';

const row = (start: number, g: string, n: number, kind: ChangeKind = 'final'): EngineRow => ({ kind, key: changelogKey(start, start + 10, [g]), windowStart: start, windowEnd: start + 10, group: { g }, values: { n } });
const order = (rows: readonly { windowStart: number; key: string }[]): string[] => rows.map((r) => r.key);
const sorted = (rows: readonly EngineRow[]): string[] => [...rows].sort((a, b) => a.windowStart - b.windowStart || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.key);

test('rows published in snapshot order come back as they are; out of order they are sorted', () => {
  const inOrder = [row(0, 'a', 1), row(0, 'b', 2), row(10, 'a', 3)];
  const hub = new ChangelogHub();
  hub.publish(inOrder.slice(0, 2), 0, 'history');
  hub.publish(inOrder.slice(2), 0, 'history');
  assert.deepEqual(order(hub.snapshot()), sorted(inOrder));
  const shuffled = [row(10, 'b', 1), row(0, 'c', 2), row(0, 'a', 3), row(10, 'a', 4)];
  const other = new ChangelogHub();
  other.publish(shuffled, 0, 'history');
  assert.deepEqual(order(other.snapshot()), sorted(shuffled));
});

test('a replaced, retracted or reopened row leaves one current row per key, in order', () => {
  const hub = new ChangelogHub();
  hub.publish([row(0, 'a', 1), row(0, 'b', 2)], 0, 'history');
  hub.publish([row(0, 'a', 5, 'revised')], 0, 'live');
  hub.publish([row(0, 'b', 2, 'retract'), row(10, 'c', 1, 'provisional')], 0, 'live');
  const snap = hub.snapshot();
  assert.deepEqual(snap.map((r) => [r.key, r.kind, r.values.n]), [[row(0, 'a', 0).key, 'revised', 5], [row(10, 'c', 0).key, 'provisional', 1]]);
  assert.equal(hub.size, 2);
});

test('retention keeps the most recently closed rows', () => {
  const hub = new ChangelogHub();
  hub.retain(2);
  hub.publish([row(0, 'a', 1), row(0, 'b', 1), row(10, 'a', 1)], 0, 'live');
  assert.deepEqual(order(hub.snapshot()), [row(0, 'b', 1).key, row(10, 'a', 1).key]);
  assert.equal(hub.evicted, 1);
});
