import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installKernelSpec, kernelsDir } from '../../../src/cli/commands/kernel.js';
import { parseFlags } from '../../../src/cli/command.js';

test('the kernelspec names the kernel, its language and message interrupts', async (t) => {
  const prefix = mkdtempSync(join(tmpdir(), 'wp-kernelspec-'));
  t.after(() => rmSync(prefix, { recursive: true, force: true }));
  const dir = await installKernelSpec({ kernelsDir: kernelsDir(parseFlags(['--prefix', prefix]).flags), argv: ['node', 'main.js', '-f', '{connection_file}'] });
  assert.equal(dir, join(prefix, 'share', 'jupyter', 'kernels', 'windowpane'));
  const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(spec.argv, ['node', 'main.js', '-f', '{connection_file}']);
  assert.equal(spec.display_name, 'TypeScript (Windowpane)');
  assert.equal(spec.language, 'typescript');
  assert.equal(spec.interrupt_mode, 'message');
  assert.ok(existsSync(join(dir, 'logo-svg.svg')));
  assert.ok(existsSync(join(dir, 'logo-64x64.png')));
});

test('install targets: --user, --prefix DIR, and at most one of them', () => {
  const flags = (args: string[]) => parseFlags(args, ['user', 'sys-prefix']).flags;
  assert.equal(kernelsDir(flags(['--prefix', '/opt/x'])), join('/opt/x', 'share', 'jupyter', 'kernels'));
  assert.match(kernelsDir(flags(['--user'])), /jupyter[/\\]kernels$/);
  assert.throws(() => kernelsDir(flags(['--user', '--prefix', '/opt/x'])), /at most one of --user, --sys-prefix and --prefix/);
  assert.throws(() => kernelsDir(flags(['--prefix', ''])), /--prefix without a folder/);
});
