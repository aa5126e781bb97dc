/**
 * The headless runner against a real Jupyter Server with the python3 kernel (ipykernel in .venv).
 * One private server is shared by most tests (as with --url); the first test lets the runner start
 * and stop its own server, the way `windowpane run` does by default.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNotebook } from '../../../src/runner/run.js';
import { startJupyterServer, type JupyterServer } from '../../../src/runner/server.js';
import { readNotebook, sourceText, type CodeCell, type Notebook } from '../../../src/runner/notebook.js';
import { messages } from '../../../src/messages.js';
import type { ProgressEvent } from '../../../src/runner/types.js';
import { NotebookError } from '../../../src/errors.js';
import { venvBin } from '../../../src/jupyter/venv.js';
import { spawnSync } from 'node:child_process';

const fixtures = fileURLToPath(new URL('../../fixtures/notebooks/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);
let dir: string;
let server: JupyterServer;

// @jupyterlab/services narrates each connection step on console.debug.
console.debug = () => undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'windowpane-runner-test-'));
  server = await startJupyterServer({ rootDir: fixtures });
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** nbformat's own validator (jupyter's Python package) accepts the file. */
function assertValidNbformat(path: string): void {
  const r = spawnSync(venvBin('python'), ['-c', 'import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}
const shared = () => ({ url: server.baseUrl, token: server.token });
const code = (nb: Notebook, i: number) => nb.cells[i] as CodeCell;
const texts = (cell: CodeCell) => cell.outputs.map((o) => (o.output_type === 'stream' ? sourceText(o.text) : o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : JSON.stringify(o.data))).join('');

test('parameters are injected after the parameters cell and used; the kernel runs headless; its own server is stopped', async () => {
  const output = join(dir, 'params.out.ipynb');
  let serverUrl = '';
  const result = await runNotebook({
    input: fixture('params.ipynb'),
    output,
    parameters: { limit: 100, carrier: 'UA', opts: { a: [1, 2] }, flag: true },
    until: { finalWindows: 3 },
    onProgress: (e) => {
      if (e.kind === 'server') serverUrl = e.url;
    },
  });
  assert.deepEqual(result.outcome, { status: 'ok' });
  const nb = readNotebook(output);
  assert.deepEqual(nb.cells[1]!.metadata.tags, ['parameters']);
  assert.deepEqual(nb.cells[2]!.metadata.tags, ['injected-parameters']);
  assert.match(sourceText(nb.cells[2]!.source), /^limit = 100$/m);
  assert.equal(texts(code(nb, 3)), "limit 200 carrier UA opts {'a': [1, 2]} flag True\nheadless 1 until {\"finalWindows\":3}\n");
  const last = code(nb, 4);
  assert.equal(last.execution_count, 4);
  assert.deepEqual(last.outputs, [{ output_type: 'execute_result', execution_count: 4, data: { 'text/plain': '101' }, metadata: {} }]);
  const meta = nb.metadata.windowpane as Record<string, unknown>;
  assert.equal(meta.status, 'completed');
  assertValidNbformat(output);
  assert.deepEqual(meta.parameters, { limit: 100, carrier: 'UA', opts: { a: [1, 2] }, flag: true });
  assert.equal(typeof meta.start_time, 'string');
  assert.equal(((last.metadata.windowpane as Record<string, unknown>).status), 'completed');
  assert.equal(typeof (last.metadata.windowpane as Record<string, unknown>).duration, 'number');
  // The private server is gone, and with it the kernel.
  const port = new URL(serverUrl).port;
  await assert.rejects(fetch(`http://127.0.0.1:${port}/api/status`));
});

test('a failing cell stops the run: non-zero outcome, the partial notebook keeps the outputs up to the error', async () => {
  const output = join(dir, 'failing.out.ipynb');
  const result = await runNotebook({ input: fixture('failing.ipynb'), output, server: shared() });
  assert.equal(result.outcome.status, 'cell-error');
  assert.ok(result.outcome.status === 'cell-error');
  assert.equal(result.outcome.cell, 2);
  assert.equal(result.outcome.ename, 'ValueError');
  assert.equal(result.outcome.evalue, 'boom in cell 2');
  const nb = readNotebook(output);
  assert.equal(texts(code(nb, 0)), 'before the error\n');
  assert.equal(texts(code(nb, 1)), 'ValueError: boom in cell 2');
  assert.equal(code(nb, 2).outputs.length, 0);
  assert.equal(code(nb, 2).execution_count, null);
  assert.equal((code(nb, 2).metadata.windowpane as Record<string, unknown>).status, 'pending');
  const meta = nb.metadata.windowpane as Record<string, unknown>;
  assert.equal(meta.status, 'failed');
  assertValidNbformat(output);
  assert.equal((meta.exception as Record<string, unknown>).ename, 'ValueError');
});

test('a per-cell timeout interrupts the kernel, marks the cell and saves the notebook', async () => {
  const output = join(dir, 'cell-timeout.out.ipynb');
  const result = await runNotebook({ input: fixture('sleep-forever.ipynb'), output, server: shared(), cellTimeoutMs: 3000 });
  assert.deepEqual(result.outcome, { status: 'cell-timeout', cell: 2, seconds: 3 });
  const nb = readNotebook(output);
  assert.equal(texts(code(nb, 0)), 'starting\n');
  const timedOut = code(nb, 1);
  assert.equal((timedOut.metadata.windowpane as Record<string, unknown>).status, 'timeout');
  assert.ok(timedOut.outputs.some((o) => o.output_type === 'error' && o.ename === 'KeyboardInterrupt'), 'the interrupted cell shows its own traceback');
  assert.ok(timedOut.outputs.some((o) => o.output_type === 'error' && o.ename === 'CellTimeoutError' && o.evalue === messages.cellTimedOut(2, 3)));
  assert.equal(code(nb, 2).outputs.length, 0);
  assertValidNbformat(output);
});

test('the notebook is saved after every cell; a whole-notebook timeout interrupts the running cell', async () => {
  const output = join(dir, 'notebook-timeout.out.ipynb');
  // While cell 2 runs, the file already holds cell 1's output (it is written after every cell).
  let during: Notebook | undefined;
  const onProgress = (e: ProgressEvent) => {
    if (e.kind === 'cell-start' && e.cell === 2) during = readNotebook(output);
  };
  const result = await runNotebook({ input: fixture('sleep-forever.ipynb'), output, server: shared(), timeoutMs: 4000, cellTimeoutMs: 60_000, onProgress });
  assert.ok(during);
  assert.equal(texts(code(during, 0)), 'starting\n');
  assert.equal((code(during, 1).metadata.windowpane as Record<string, unknown>).status, 'pending');
  assert.deepEqual(result.outcome, { status: 'notebook-timeout', cell: 2, seconds: 4 });
  const nb = readNotebook(output);
  assert.ok(code(nb, 1).outputs.some((o) => o.output_type === 'error' && o.evalue === messages.notebookTimedOut(2, 4)));
  assert.equal((nb.metadata.windowpane as Record<string, unknown>).status, 'failed');
});

test('a kernel that kills itself ends the run with a clear message', async () => {
  const output = join(dir, 'kill.out.ipynb');
  const result = await runNotebook({ input: fixture('kill-kernel.ipynb'), output, server: shared() });
  assert.equal(result.outcome.status, 'kernel-died');
  assert.ok(result.outcome.status === 'kernel-died');
  assert.equal(result.outcome.cell, 2);
  const nb = readNotebook(output);
  assert.equal(texts(code(nb, 0)), 'alive\n');
  assert.ok(code(nb, 1).outputs.some((o) => o.output_type === 'error' && o.ename === 'DeadKernelError' && o.evalue === messages.kernelDied(2, result.outcome.status === 'kernel-died' ? result.outcome.reason : '')));
});

test('a display update by display_id that arrives after its cell went idle reaches the saved notebook, with provenance', async () => {
  const output = join(dir, 'late.out.ipynb');
  const result = await runNotebook({ input: fixture('late-display.ipynb'), output, server: shared() });
  assert.deepEqual(result.outcome, { status: 'ok' });
  assert.ok(result.lateUpdates >= 1);
  const nb = readNotebook(output);
  const [shown, ...rest] = code(nb, 0).outputs;
  assert.equal(rest.length, 0);
  assert.ok(shown?.output_type === 'display_data');
  assert.deepEqual(shown.data, { 'text/plain': 'final' });
  const provenance = (nb.metadata.windowpane as Record<string, unknown>).provenance as { cell: number; display_id?: string; provenance: unknown }[];
  assert.equal(provenance.length, 1);
  assert.equal(provenance[0]!.cell, 1);
  assert.equal(typeof provenance[0]!.display_id, 'string');
  assert.deepEqual(provenance[0]!.provenance, { topic: 'events', offsets: { '0': [0, 42] } });
  assertValidNbformat(output);
});

test('--html exports the executed notebook with its outputs; a given server\'s kernel is made headless', async () => {
  const html = join(dir, 'report.html');
  const result = await runNotebook({ input: fixture('params.ipynb'), output: join(dir, 'html.out.ipynb'), server: shared(), parameters: { carrier: 'DL' }, html });
  assert.equal(result.html, html);
  assert.ok(existsSync(html));
  const text = readFileSync(html, 'utf8');
  assert.match(text, /limit 20 carrier DL/);
  // On a server the runner did not start, the headless environment is set inside the kernel.
  assert.match(text, /headless 1 until \{"caughtUp":true\}/);
  assert.deepEqual((result.notebook.metadata.windowpane as Record<string, unknown>).headless, { until: { caughtUp: true }, environment_applied: true });
  assert.match(text, /injected-parameters|Parameters injected/);
});

test('an invalid notebook is refused on entry with a message naming the problem', async () => {
  const bad = join(dir, 'bad.ipynb');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(bad, JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }));
  await assert.rejects(runNotebook({ input: bad, server: shared() }), (e: unknown) => {
    assert.ok(e instanceof NotebookError);
    assert.equal(e.message, messages.notebookInvalid(bad, 'nbformat is 3, but only nbformat 4 is supported'));
    return true;
  });
});

test('an unknown kernel name lists the kernels the server has', async () => {
  await assert.rejects(runNotebook({ input: fixture('params.ipynb'), output: join(dir, 'nokernel.ipynb'), server: shared(), kernel: 'no-such-kernel' }), (e: unknown) => {
    assert.ok(e instanceof NotebookError);
    assert.match(e.message, /no kernel named "no-such-kernel" \(it has: .*python3/);
    return true;
  });
});

test('a Jupyter server that goes away mid-cell ends the run as a dead kernel, without waiting for the client\'s reconnect schedule', async () => {
  const own = await startJupyterServer({ rootDir: fixtures });
  try {
    const output = join(dir, 'server-gone.out.ipynb');
    const t0 = Date.now();
    const result = await runNotebook({
      input: fixture('sleep-forever.ipynb'),
      output,
      server: { url: own.baseUrl, token: own.token },
      onProgress: (e) => {
        if (e.kind === 'cell-start' && e.cell === 2) process.kill(-own.pid, 'SIGKILL');
      },
    });
    assert.deepEqual(result.outcome, { status: 'kernel-died', cell: 2, reason: 'the Jupyter server stopped answering' });
    assert.ok(Date.now() - t0 < 60_000, 'well before the client would give up by itself');
    assert.equal((readNotebook(output).metadata.windowpane as Record<string, unknown>).status, 'failed');
  } finally {
    await own.stop();
  }
});
