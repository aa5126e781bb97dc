import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installKernelSpec, kernelsDir } from '../../../src/jupyter/kernelspec.js';
import { EnvironmentError } from '../../../src/errors.js';

test('the kernelspec names the kernel, its language and message interrupts', async (t) => {
  const prefix = mkdtempSync(join(tmpdir(), 'wp-kernelspec-'));
  t.after(() => rmSync(prefix, { recursive: true, force: true }));
  const dir = await installKernelSpec({ kernelsDir: kernelsDir({ kind: 'prefix', dir: prefix }), argv: ['node', 'main.js', '-f', '{connection_file}'] });
  assert.equal(dir, join(prefix, 'share', 'jupyter', 'kernels', 'windowpane'));
  const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(spec.argv, ['node', 'main.js', '-f', '{connection_file}']);
  assert.equal(spec.display_name, 'TypeScript (Windowpane)');
  assert.equal(spec.language, 'typescript');
  assert.equal(spec.interrupt_mode, 'message');
  assert.ok(existsSync(join(dir, 'logo-svg.svg')));
  assert.ok(existsSync(join(dir, 'logo-64x64.png')));
});

test('kernels folders: a prefix, the user data folder, the Python environment', (t) => {
  assert.equal(kernelsDir({ kind: 'prefix', dir: '/opt/x' }), join('/opt/x', 'share', 'jupyter', 'kernels'));
  assert.match(kernelsDir({ kind: 'user' }), /jupyter[/\\]kernels$/);
  assert.equal(kernelsDir({ kind: 'user' }, { JUPYTER_DATA_DIR: '/data/jupyter' }), join('/data/jupyter', 'kernels'));
  const venv = mkdtempSync(join(tmpdir(), 'wp-venv-'));
  t.after(() => rmSync(venv, { recursive: true, force: true }));
  assert.equal(kernelsDir({ kind: 'sys-prefix' }, { WINDOWPANE_VENV: venv }), join(venv, 'share', 'jupyter', 'kernels'));
  assert.throws(() => kernelsDir({ kind: 'sys-prefix' }, { WINDOWPANE_VENV: join(venv, 'missing') }), (e: unknown) => e instanceof EnvironmentError && e.code === 'kernel-install-target');
});
