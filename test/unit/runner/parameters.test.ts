import { test } from 'node:test';
import assert from 'node:assert/strict';
import { injectParameters, parseParameters, parseParameterValue, renderParameters } from '../../../src/runner/parameters.js';
import { parseUntil, headlessEnv, headlessUntilFromEnv, renderEnvSetup } from '../../../src/runner/headless.js';
import type { CodeCell, Notebook } from '../../../src/runner/notebook.js';
import { NotebookError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';

test('parameter values: JSON scalars and structures stay typed, everything else is a string', () => {
  assert.equal(parseParameterValue('42'), 42);
  assert.equal(parseParameterValue('-1.5e3'), -1500);
  assert.equal(parseParameterValue('true'), true);
  assert.equal(parseParameterValue('null'), null);
  assert.deepEqual(parseParameterValue('{"a":[1,2]}'), { a: [1, 2] });
  assert.deepEqual(parseParameterValue('[1, "x"]'), [1, 'x']);
  assert.equal(parseParameterValue('AA'), 'AA');
  assert.equal(parseParameterValue('2024-01-01'), '2024-01-01');
  assert.equal(parseParameterValue('{not json'), '{not json');
  assert.equal(parseParameterValue(''), '');
});

test('name=value arguments: later wins; a bad name is refused with the catalogue message', () => {
  assert.deepEqual(parseParameters(['a=1', 'b=x=y', 'a=2']), { a: 2, b: 'x=y' });
  assert.throws(() => parseParameters(['1abc=3']), (e: unknown) => e instanceof NotebookError && e.message === messages.invalidParameter('1abc=3'));
  assert.throws(() => parseParameters(['novalue']), NotebookError);
});

test('the injected cell is written in the kernel language', () => {
  const p = { limit: 10, name: 'x', on: true, none: null, opts: { k: [1, false] } };
  assert.equal(
    renderParameters(p, 'typescript'),
    ['// Parameters injected by `windowpane run`', 'const limit = 10;', 'const name = "x";', 'const on = true;', 'const none = null;', 'const opts = {"k":[1,false]};'].join('\n'),
  );
  assert.equal(renderParameters(p, 'python'), ['# Parameters injected by `windowpane run`', 'limit = 10', 'name = "x"', 'on = True', 'none = None', 'opts = {"k": [1, False]}'].join('\n'));
});

function notebook(tags: (string[] | undefined)[]): Notebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: tags.map((t, i): CodeCell => ({ cell_type: 'code', id: `c${i}`, source: `cell ${i}`, metadata: t ? { tags: t } : {}, outputs: [], execution_count: null })),
  };
}

test('injection goes right after the cell tagged parameters, at the top without one, and replaces an earlier injection', () => {
  const nb = notebook([undefined, ['parameters'], undefined]);
  assert.equal(injectParameters(nb, { a: 1 }, 'python'), 2);
  assert.deepEqual(nb.cells[2]!.metadata.tags, ['injected-parameters']);
  assert.equal(injectParameters(nb, { a: 2 }, 'python'), 2);
  assert.equal(nb.cells.length, 4);
  assert.match(nb.cells[2]!.source as string, /a = 2/);

  const plain = notebook([undefined, undefined]);
  assert.equal(injectParameters(plain, { a: 1 }, 'typescript'), 0);
  assert.equal(injectParameters(notebook([undefined]), {}, 'python'), -1);
});

test('--until: durations, window counts, caught-up; the kernel gets it as JSON', () => {
  assert.deepEqual(parseUntil('30s'), { durationMs: 30_000 });
  assert.deepEqual(parseUntil('2 minutes'), { durationMs: 120_000 });
  assert.deepEqual(parseUntil('1.5h'), { durationMs: 5_400_000 });
  assert.deepEqual(parseUntil('10windows'), { finalWindows: 10 });
  assert.deepEqual(parseUntil('3 windows'), { finalWindows: 3 });
  assert.deepEqual(parseUntil('caught-up'), { caughtUp: true });
  for (const bad of ['forever', '0s', '10 parsecs', '']) assert.throws(() => parseUntil(bad), (e: unknown) => e instanceof NotebookError && e.message === messages.runUntilInvalid(bad));
  const env = headlessEnv({ finalWindows: 4 });
  assert.deepEqual(env, { WINDOWPANE_HEADLESS: '1', WINDOWPANE_UNTIL: '{"finalWindows":4}' });
  assert.deepEqual(headlessUntilFromEnv(env), { finalWindows: 4 });
  assert.deepEqual(headlessUntilFromEnv({ WINDOWPANE_HEADLESS: '1' }), { caughtUp: true });
  assert.equal(headlessUntilFromEnv({}), undefined);
  assert.equal(renderEnvSetup({ A: '1' }, 'TypeScript'), 'Object.assign(process.env, {"A":"1"});');
  assert.equal(renderEnvSetup({ A: '1' }, 'julia'), undefined);
});
