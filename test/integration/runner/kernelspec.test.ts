/**
 * Which kernel a private server starts: the runner's per-run windowpane kernelspec (this package's
 * built kernel, the headless environment) after any JUPYTER_PATH the caller set; and a kernel that
 * cannot start is reported with what it printed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { perRunKernelspec } from '../../../src/runner/kernelspec.js';
import { headlessEnv } from '../../../src/runner/headless.js';
import { runNotebook } from '../../../src/runner/run.js';
import { NotebookError } from '../../../src/errors.js';
import { venvBin } from '../../../src/jupyter/venv.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
console.debug = () => undefined;

test('the per-run windowpane kernelspec runs the built kernel with the headless environment, after the caller\'s JUPYTER_PATH', async () => {
  const spec = await perRunKernelspec(headlessEnv({ durationMs: 5000 }), '/some/where');
  assert.ok(spec, 'dist/kernel/main.js exists (npm run build)');
  try {
    const [first, ours] = spec.jupyterPath.split(delimiter);
    assert.equal(first, '/some/where');
    const kernel = JSON.parse(readFileSync(join(ours!, 'kernels', 'windowpane', 'kernel.json'), 'utf8')) as { argv: string[]; env: Record<string, string>; language: string };
    assert.deepEqual(kernel.argv.slice(1), [join(root, 'dist', 'kernel', 'main.js'), '-f', '{connection_file}']);
    assert.deepEqual(kernel.env, { WINDOWPANE_HEADLESS: '1', WINDOWPANE_UNTIL: '{"durationMs":5000}' });
    assert.equal(kernel.language, 'typescript');
  } finally {
    spec.remove();
  }
});

test('a kernel that exits while starting is reported with its own last words', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-broken-kernel-'));
  try {
    const kernelDir = join(dir, 'kernels', 'broken');
    mkdirSync(kernelDir, { recursive: true });
    const argv = [venvBin('python'), '-c', "import sys; sys.stderr.write('broken kernel: missing its engine\\n'); sys.exit(3)", '{connection_file}'];
    writeFileSync(join(kernelDir, 'kernel.json'), JSON.stringify({ argv, display_name: 'Broken', language: 'python' }));
    await assert.rejects(
      runNotebook({ input: join(root, 'test', 'fixtures', 'notebooks', 'params.ipynb'), output: join(dir, 'out.ipynb'), kernel: 'broken', env: { JUPYTER_PATH: dir }, startupTimeoutMs: 60_000 }),
      (e: unknown) => {
        assert.ok(e instanceof NotebookError);
        assert.equal(e.code, 'kernel-start-failed');
        assert.match(e.message, /the broken kernel stopped while starting/);
        assert.match(e.message, /broken kernel: missing its engine/);
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
