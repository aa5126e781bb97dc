/**
 * The runner's core cases with the Windowpane TypeScript kernel, installed into a temporary prefix
 * by the shared Jupyter test helper (it runs the kernel from source).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNotebook } from '../../../src/runner/run.js';
import { readNotebook, sourceText, type CodeCell } from '../../../src/runner/notebook.js';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';

const fixtures = fileURLToPath(new URL('../../fixtures/notebooks/', import.meta.url));
let dir: string;
let spec: TestKernelSpec;
console.debug = () => undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'windowpane-runner-ts-'));
  spec = await installTestKernel();
});
after(() => {
  spec?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const texts = (cell: CodeCell) => cell.outputs.map((o) => (o.output_type === 'stream' ? sourceText(o.text) : o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : JSON.stringify(o.data))).join('');

test('windowpane kernel: parameters are injected as TypeScript, override the defaults and are used; the kernel runs headless', async () => {
  const output = join(dir, 'ts-params.out.ipynb');
  const result = await runNotebook({ input: join(fixtures, 'ts-params.ipynb'), output, parameters: { limit: 100, carrier: 'UA' }, env: spec.env, until: { durationMs: 30_000 } });
  assert.deepEqual(result.outcome, { status: 'ok' });
  const nb = readNotebook(output);
  assert.equal(sourceText(nb.cells[2]!.source), '// Parameters injected by `windowpane run`\nconst limit = 100;\nconst carrier = "UA";');
  assert.equal(texts(nb.cells[3] as CodeCell), 'limit 200 carrier UA\nheadless 1 until {"durationMs":30000}\n');
  const [result1, ...more] = (nb.cells[4] as CodeCell).outputs;
  assert.equal(more.length, 0);
  assert.ok(result1?.output_type === 'execute_result');
  assert.equal(result1.data['text/plain'], '101');
  assert.equal(nb.metadata.kernelspec && (nb.metadata.kernelspec as Record<string, unknown>).language, 'typescript');
});

test('windowpane kernel: a failing cell stops the run and the partial notebook is saved', async () => {
  const output = join(dir, 'ts-failing.out.ipynb');
  const result = await runNotebook({ input: join(fixtures, 'ts-failing.ipynb'), output, env: spec.env });
  assert.equal(result.outcome.status, 'cell-error');
  assert.ok(result.outcome.status === 'cell-error');
  assert.equal(result.outcome.cell, 2);
  assert.equal(result.outcome.ename, 'Error');
  assert.match(result.outcome.evalue, /boom in cell 2$/);
  const nb = readNotebook(output);
  assert.equal(texts(nb.cells[0] as CodeCell), 'before the error\n');
  assert.match(texts(nb.cells[1] as CodeCell), /Error: boom in cell 2/);
  assert.equal((nb.cells[2] as CodeCell).outputs.length, 0);
});

test('windowpane kernel: a cell timeout interrupts a synchronous busy loop', async () => {
  const output = join(dir, 'ts-busy.out.ipynb');
  // The limit must leave room for the first cell, which pays for warming up the TypeScript compiler.
  const result = await runNotebook({ input: join(fixtures, 'ts-busy-loop.ipynb'), output, env: spec.env, cellTimeoutMs: 30_000 });
  assert.deepEqual(result.outcome, { status: 'cell-timeout', cell: 2, seconds: 30 });
  const nb = readNotebook(output);
  assert.equal(texts(nb.cells[0] as CodeCell), 'starting\n');
  const outputs = (nb.cells[1] as CodeCell).outputs;
  assert.ok(outputs.some((o) => o.output_type === 'error' && o.ename === 'KeyboardInterrupt'), 'the kernel reports the interrupt itself');
  assert.ok(outputs.some((o) => o.output_type === 'error' && o.ename === 'CellTimeoutError'));
});

test('windowpane kernel: a display update from background work after its cell went idle reaches the saved notebook, with provenance', async () => {
  const output = join(dir, 'ts-late.out.ipynb');
  const result = await runNotebook({ input: join(fixtures, 'ts-late-display.ipynb'), output, env: spec.env });
  assert.deepEqual(result.outcome, { status: 'ok' });
  const nb = readNotebook(output);
  const [shown, ...rest] = (nb.cells[0] as CodeCell).outputs;
  assert.equal(rest.length, 0);
  assert.ok(shown?.output_type === 'display_data');
  assert.deepEqual(shown.data, { 'text/plain': 'final' });
  const provenance = (nb.metadata.windowpane as Record<string, unknown>).provenance as { cell: number; provenance: unknown }[];
  assert.deepEqual(provenance.map((p) => [p.cell, p.provenance]), [[1, { topic: 'events', offsets: { '0': [0, 42] } }]]);
});

test('windowpane kernel: a kernel that kills itself ends the run as a dead kernel', async () => {
  const output = join(dir, 'ts-kill.out.ipynb');
  const result = await runNotebook({ input: join(fixtures, 'ts-kill-kernel.ipynb'), output, env: spec.env });
  assert.equal(result.outcome.status, 'kernel-died');
  assert.ok(result.outcome.status === 'kernel-died' && result.outcome.cell === 2);
  const nb = readNotebook(output);
  assert.equal(texts(nb.cells[0] as CodeCell), 'alive\n');
  assert.ok((nb.cells[1] as CodeCell).outputs.some((o) => o.output_type === 'error' && o.ename === 'DeadKernelError'));
});
