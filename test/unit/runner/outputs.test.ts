import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotebookOutputs } from '../../../src/runner/outputs.js';
import { assertNotebook, type CodeCell, type Notebook } from '../../../src/runner/notebook.js';
import { NotebookError } from '../../../src/errors.js';

function twoCells(): { nb: Notebook; a: CodeCell; b: CodeCell; outputs: NotebookOutputs } {
  const cell = (): CodeCell => ({ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null });
  const nb: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell(), cell()] };
  const outputs = new NotebookOutputs(nb);
  const [a, b] = nb.cells as [CodeCell, CodeCell];
  outputs.own('m1', a);
  outputs.own('m2', b);
  return { nb, a, b, outputs };
}

test('consecutive stream outputs of the same name merge; another name starts a new output', () => {
  const { a, outputs } = twoCells();
  outputs.apply({ kind: 'stream', parent: 'm1', name: 'stdout', text: 'a' }, a);
  outputs.apply({ kind: 'stream', parent: 'm1', name: 'stdout', text: 'b\n' }, a);
  outputs.apply({ kind: 'stream', parent: 'm1', name: 'stderr', text: 'warn\n' }, a);
  assert.deepEqual(a.outputs, [
    { output_type: 'stream', name: 'stdout', text: 'ab\n' },
    { output_type: 'stream', name: 'stderr', text: 'warn\n' },
  ]);
  assert.equal(outputs.apply({ kind: 'stream', parent: 'unknown', name: 'stdout', text: 'x' }, a), false);
});

test('clear_output(wait) clears at the next output; without wait at once', () => {
  const { a, outputs } = twoCells();
  outputs.apply({ kind: 'stream', parent: 'm1', name: 'stdout', text: 'old' }, a);
  outputs.apply({ kind: 'clear_output', parent: 'm1', wait: true }, a);
  assert.equal(a.outputs.length, 1);
  outputs.apply({ kind: 'display_data', parent: 'm1', data: { 'text/plain': 'new' }, metadata: {}, displayId: undefined }, a);
  assert.deepEqual(a.outputs, [{ output_type: 'display_data', data: { 'text/plain': 'new' }, metadata: {} }]);
  outputs.apply({ kind: 'clear_output', parent: 'm1', wait: false }, a);
  assert.deepEqual(a.outputs, []);
});

test('update_display_data replaces every output with the display_id, also in finished cells, and carries provenance', () => {
  const { a, b, outputs } = twoCells();
  outputs.apply({ kind: 'display_data', parent: 'm1', data: { 'text/plain': 'v1' }, metadata: {}, displayId: 'd' }, a);
  outputs.apply({ kind: 'execute_result', parent: 'm2', data: { 'text/plain': 'v1' }, metadata: {}, executionCount: 2, displayId: 'd' }, b);
  assert.equal(outputs.lateUpdates, 0);
  const changed = outputs.apply({ kind: 'update_display_data', parent: 'm2', data: { 'text/plain': 'v2' }, metadata: { 'windowpane.provenance': { topic: 't' } }, displayId: 'd' }, undefined);
  assert.equal(changed, true);
  assert.equal(outputs.lateUpdates, 1);
  assert.deepEqual(a.outputs[0], { output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: { 'windowpane.provenance': { topic: 't' } } });
  assert.deepEqual(b.outputs[0], { output_type: 'execute_result', execution_count: 2, data: { 'text/plain': 'v2' }, metadata: { 'windowpane.provenance': { topic: 't' } } });
  assert.deepEqual(outputs.provenance(), [
    { cell: 1, display_id: 'd', provenance: { topic: 't' } },
    { cell: 2, display_id: 'd', provenance: { topic: 't' } },
  ]);
  // A cleared display no longer receives updates.
  outputs.apply({ kind: 'clear_output', parent: 'm1', wait: false }, undefined);
  outputs.apply({ kind: 'update_display_data', parent: 'm2', data: { 'text/plain': 'v3' }, metadata: {}, displayId: 'd' }, undefined);
  assert.deepEqual(a.outputs, []);
  assert.deepEqual((b.outputs[0] as { data: unknown }).data, { 'text/plain': 'v3' });
  assert.equal(outputs.apply({ kind: 'update_display_data', parent: 'm2', data: {}, metadata: {}, displayId: 'nobody' }, undefined), false);
});

test('the notebook check names the first problem', () => {
  const bad = (v: unknown, why: RegExp) => assert.throws(() => assertNotebook(v, 'x.ipynb'), (e: unknown) => e instanceof NotebookError && why.test(e.message));
  bad([], /top level is not a JSON object/);
  bad({ nbformat: 4, nbformat_minor: 5, metadata: {} }, /"cells" is missing/);
  bad({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'heading', source: '' }] }, /cell 1 has cell_type "heading"/);
  bad({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: 3 }] }, /cell 1 has no "source"/);
  assertNotebook({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'markdown', source: ['a', 'b'] }] }, 'x.ipynb');
});
