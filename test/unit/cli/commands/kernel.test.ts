import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { installTarget } from '../../../../src/cli/commands/kernel.js';
import { parseFlags } from '../../../../src/cli/command.js';
import { kernelsDir } from '../../../../src/jupyter/kernelspec.js';

test('install targets: --user, --prefix DIR, and at most one of them', () => {
  const flags = (args: string[]) => parseFlags(args, ['user', 'sys-prefix']).flags;
  assert.deepEqual(installTarget(flags([])), { kind: 'user' });
  assert.deepEqual(installTarget(flags(['--sys-prefix'])), { kind: 'sys-prefix' });
  assert.equal(kernelsDir(installTarget(flags(['--prefix', '/opt/x']))), join('/opt/x', 'share', 'jupyter', 'kernels'));
  assert.match(kernelsDir(installTarget(flags(['--user']))), /jupyter[/\\]kernels$/);
  assert.throws(() => installTarget(flags(['--user', '--prefix', '/opt/x'])), /at most one of --user, --sys-prefix and --prefix/);
  assert.throws(() => installTarget(flags(['--prefix', ''])), /--prefix without a folder/);
});
