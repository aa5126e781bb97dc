import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '../../../src/cli/command.js';

test('parseFlags splits flags with values, boolean flags, = forms and positionals', () => {
  const { positional, flags } = parseFlags(['run', 'nb.ipynb', '-p', 'a=1', '--p=b=2', '--json', '--timeout', '30', '--', '--not-a-flag'], ['json']);
  assert.deepEqual(positional, ['run', 'nb.ipynb', '--not-a-flag']);
  assert.deepEqual(flags.get('p'), ['a=1', 'b=2']);
  assert.deepEqual(flags.get('json'), ['true']);
  assert.deepEqual(flags.get('timeout'), ['30']);
});

test('negative numbers are positional, not flags', () => {
  assert.deepEqual(parseFlags(['-5']).positional, ['-5']);
});
