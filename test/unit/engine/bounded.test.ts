import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveUntil, parseUntil } from '../../../src/engine/run/bounded.js';
import { ConfigError } from '../../../src/errors.js';

test('a run without a bound is unbounded outside a headless kernel', () => {
  assert.deepEqual(effectiveUntil(undefined, {}), { kind: 'unbounded' });
});

test('in a headless kernel a run without a bound takes the runner bound (caught up by default)', () => {
  assert.deepEqual(effectiveUntil(undefined, { WINDOWPANE_HEADLESS: '1' }), { kind: 'caughtUp' });
  assert.deepEqual(effectiveUntil(undefined, { WINDOWPANE_HEADLESS: '1', WINDOWPANE_UNTIL: '{"durationMs":30000}' }), { kind: 'duration', ms: 30000 });
  assert.deepEqual(effectiveUntil(undefined, { WINDOWPANE_HEADLESS: '1', WINDOWPANE_UNTIL: '{"finalWindows":5}' }), { kind: 'finalWindows', count: 5 });
});

test('a bound the query asks for wins over the headless default', () => {
  assert.deepEqual(effectiveUntil({ finalWindows: 2 }, { WINDOWPANE_HEADLESS: '1', WINDOWPANE_UNTIL: '{"durationMs":30000}' }), { kind: 'finalWindows', count: 2 });
});

test('a bad bound names the problem', () => {
  assert.throws(() => parseUntil({ finalWindows: 0 }), (e: unknown) => e instanceof ConfigError && /finalWindows must be a positive integer/.test(e.message));
});
