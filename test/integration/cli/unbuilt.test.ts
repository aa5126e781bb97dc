/**
 * A checkout that was never built: its first `windowpane` command compiles it (as `npm start`
 * would) and then does what was asked, with stdout left to the command (JSON stays parseable);
 * the next command starts at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../../src/util/paths.js';

function cli(cwd: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(cwd, 'bin', 'windowpane.js'), ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the first command in a checkout without dist/ builds it, keeps stdout clean, and runs', { timeout: 300_000 }, async () => {
  const checkout = mkdtempSync(join(tmpdir(), 'windowpane-unbuilt-'));
  try {
    // the files of this checkout as git sees them (edits included), without dist/ or node_modules/
    const files = spawnSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: packageRoot, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const f of files) {
      if (!existsSync(join(packageRoot, f)) || f.startsWith('dist/')) continue;
      mkdirSync(dirname(join(checkout, f)), { recursive: true });
      copyFileSync(join(packageRoot, f), join(checkout, f));
    }
    // the packages are this checkout's (installing them is npm ci's business, tested by npm itself);
    // a lock file older than them means they are up to date
    symlinkSync(join(packageRoot, 'node_modules'), join(checkout, 'node_modules'));
    utimesSync(join(checkout, 'package-lock.json'), new Date(0), new Date(0));
    assert.equal(existsSync(join(checkout, 'dist')), false);

    const first = await cli(checkout, 'kafka', 'status', '--json');
    assert.match(first.stderr, /windowpane: compiling TypeScript/, 'it says what it does');
    assert.ok(existsSync(join(checkout, 'dist', 'src', 'cli', 'main.js')), 'dist/ is built');
    const status = JSON.parse(first.stdout) as { running: boolean };
    assert.equal(typeof status.running, 'boolean', first.stdout);

    const second = await cli(checkout, '--version');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stderr, '');
    assert.match(second.stdout, /^windowpane \d+\.\d+\.\d+\n$/);
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
});
