import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyHeadlessRunDefaults, isHeadless } from '../../../kernel/headless.js';
import { effectiveUntil } from '../../../src/engine/run/bounded.js';
import { setRunDefaults } from '../../../src/engine/run/defaults.js';

afterEach(() => setRunDefaults({}));

test('a kernel that is not headless leaves runs without a bound unbounded', () => {
  assert.equal(isHeadless({}), false);
  applyHeadlessRunDefaults({});
  assert.deepEqual(effectiveUntil(undefined), { kind: 'unbounded' });
});

test('a headless kernel gives runs without a bound the runner bound (caught up by default)', () => {
  assert.equal(isHeadless({ WINDOWPANE_HEADLESS: '1' }), true);
  applyHeadlessRunDefaults({ WINDOWPANE_HEADLESS: '1' });
  assert.deepEqual(effectiveUntil(undefined), { kind: 'caughtUp' });
  applyHeadlessRunDefaults({ WINDOWPANE_HEADLESS: '1', WINDOWPANE_UNTIL: '{"durationMs":30000}' });
  assert.deepEqual(effectiveUntil(undefined), { kind: 'duration', ms: 30000 });
  applyHeadlessRunDefaults({ WINDOWPANE_HEADLESS: '1', WINDOWPANE_UNTIL: '{"finalWindows":5}' });
  assert.deepEqual(effectiveUntil(undefined), { kind: 'finalWindows', count: 5 });
});

test('in a headless kernel a bound the query asks for wins over the runner one', () => {
  applyHeadlessRunDefaults({ WINDOWPANE_HEADLESS: '1', WINDOWPANE_UNTIL: '{"durationMs":30000}' });
  assert.deepEqual(effectiveUntil({ finalWindows: 2 }), { kind: 'finalWindows', count: 2 });
});
