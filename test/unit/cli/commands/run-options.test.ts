import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CELL_TIMEOUT_S, seconds } from '../../../../src/cli/commands/run.js';
import { ConfigError } from '../../../../src/errors.js';

test('a headless run has a cell time-out by default, so it always ends; none lifts it', () => {
  const flags = (v?: string) => new Map(v === undefined ? [] : [['cell-timeout', [v]]]);
  assert.equal(seconds(flags(), 'cell-timeout', DEFAULT_CELL_TIMEOUT_S), DEFAULT_CELL_TIMEOUT_S * 1000);
  assert.equal(seconds(flags('2.5'), 'cell-timeout', DEFAULT_CELL_TIMEOUT_S), 2500);
  assert.equal(seconds(flags('none'), 'cell-timeout', DEFAULT_CELL_TIMEOUT_S), undefined);
  assert.equal(seconds(new Map(), 'timeout'), undefined, 'the whole-notebook limit stays opt-in');
  assert.throws(() => seconds(flags('0'), 'cell-timeout', DEFAULT_CELL_TIMEOUT_S), (e: unknown) => e instanceof ConfigError && /--cell-timeout.*'none' for no limit/.test(e.message));
  assert.throws(() => seconds(flags('soon'), 'cell-timeout', DEFAULT_CELL_TIMEOUT_S), ConfigError);
});
