import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveUntil, parseUntil } from '../../../../src/engine/run/bounded.js';
import { runDefaults, setRunDefaults } from '../../../../src/engine/run/defaults.js';
import { ConfigError } from '../../../../src/errors.js';

afterEach(() => setRunDefaults({}));

test('a run without a bound is unbounded when no default bound is set', () => {
  assert.deepEqual(effectiveUntil(undefined), { kind: 'unbounded' });
  setRunDefaults({ until: { durationMs: 30000 } });
  setRunDefaults({});
  assert.deepEqual(effectiveUntil(undefined), { kind: 'unbounded' });
});

test('a run without a bound takes the default bound (a headless kernel sets the runner one)', () => {
  setRunDefaults({ until: { caughtUp: true } });
  assert.deepEqual(effectiveUntil(undefined), { kind: 'caughtUp' });
  setRunDefaults({ until: { durationMs: 30000 } });
  assert.deepEqual(effectiveUntil(undefined), { kind: 'duration', ms: 30000 });
  setRunDefaults({ until: { finalWindows: 5 } });
  assert.deepEqual(effectiveUntil(undefined), { kind: 'finalWindows', count: 5 });
  assert.deepEqual(runDefaults(), { until: { finalWindows: 5 } });
});

test('a bound the query asks for wins over the default', () => {
  setRunDefaults({ until: { durationMs: 30000 } });
  assert.deepEqual(effectiveUntil({ finalWindows: 2 }), { kind: 'finalWindows', count: 2 });
});

test('a bad bound names the problem', () => {
  assert.throws(() => parseUntil({ finalWindows: 0 }), (e: unknown) => e instanceof ConfigError && /finalWindows must be a positive integer/.test(e.message));
});

test('a bad default bound fails where it is set, and the previous default stays', () => {
  setRunDefaults({ until: { durationMs: 30000 } });
  assert.throws(() => setRunDefaults({ until: { finalWindows: 0 } }), (e: unknown) => e instanceof ConfigError && /finalWindows must be a positive integer/.test(e.message));
  assert.deepEqual(effectiveUntil(undefined), { kind: 'duration', ms: 30000 });
});
