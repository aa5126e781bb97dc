import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { venvBin } from '../../src/jupyter/venv.js';
import { packageRoot } from '../../src/util/paths.js';
import { installTestKernel } from '../helpers/jupyter.js';

// jupyter_kernel_test.KernelTests has 12 tests; only test_pager may skip (the kernel has no pager).
const EXPECTED_TESTS = 12;
const ALLOWED_SKIPS = ['test_pager'];

test('jupyter_kernel_test conformance suite, every sample filled in', { timeout: 300_000 }, async (t) => {
  const spec = await installTestKernel();
  t.after(() => spec.remove());
  const child = spawn(venvBin('python'), ['-m', 'unittest', '-v', 'test_windowpane_kernel'], {
    cwd: join(packageRoot, 'test', 'jupyter'),
    env: { ...process.env, ...spec.env, JUPYTER_RUNTIME_DIR: join(spec.prefix, 'runtime'), PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

  const ran = Number(/^Ran (\d+) tests? in/m.exec(out)?.[1] ?? 0);
  const skipped = [...out.matchAll(/^(test_\w+) \([^)]*\)[^\n]*\.\.\. skipped/gm)].map((m) => m[1]);
  assert.equal(ran, EXPECTED_TESTS, `expected ${EXPECTED_TESTS} tests to run:\n${out}`);
  assert.deepEqual(skipped.filter((s) => !ALLOWED_SKIPS.includes(s!)), [], `unexpected skips:\n${out}`);
  assert.equal(code, 0, out);
});
