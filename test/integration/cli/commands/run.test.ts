/**
 * `windowpane run` as a user calls it: the compiled CLI (npm run build) in a child process, with
 * its own Jupyter server each time. Checks exit codes and what reaches stderr.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messages } from '../../../../src/messages.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (name: string) => join(root, 'test', 'fixtures', 'notebooks', name);
let dir: string;

before(() => {
  assert.ok(existsSync(join(root, 'dist', 'src', 'cli', 'main.js')), 'the CLI is not built: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'windowpane-run-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'windowpane.js'), 'run', ...args], { cwd: dir, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a notebook that runs to the end exits 0, with parameters from -p and plain progress lines in CI', async () => {
  const out = join(dir, 'params.out.ipynb');
  const r = await cli(fixture('params.ipynb'), '-o', out, '-p', 'limit=7', '-p', 'carrier=XX', '--until', '2windows');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^cell 4\/5 completed in \d+\.\ds \(elapsed \d+\.\ds\)$/m);
  assert.match(r.stderr, /^finished in /m);
  const nb = readFileSync(out, 'utf8');
  assert.match(nb, /limit 14 carrier XX/);
  assert.match(nb, /until \{\\"finalWindows\\":2\}/);
});

test('a failing cell exits 1 and prints the cell number, its error and traceback', async () => {
  const out = join(dir, 'failing.out.ipynb');
  const r = await cli(fixture('failing.ipynb'), '-o', out);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(messages.cellFailed(2, 'ValueError', 'boom in cell 2')), r.stderr);
  assert.match(r.stderr, /Traceback \(most recent call last\)/);
  assert.ok(!r.stderr.includes('\u001b['), 'no colour codes when stderr is not a terminal');
  assert.ok(r.stderr.includes(`the partial notebook is in ${out}`));
  assert.match(readFileSync(out, 'utf8'), /before the error/);
});

test('a cell timeout exits 3 and a killed kernel exits 4', async () => {
  const timeout = await cli(fixture('sleep-forever.ipynb'), '-o', join(dir, 't.ipynb'), '--cell-timeout', '3');
  assert.equal(timeout.code, 3);
  assert.ok(timeout.stderr.includes(messages.cellTimedOut(2, 3)));
  const killed = await cli(fixture('kill-kernel.ipynb'), '-o', join(dir, 'k.ipynb'));
  assert.equal(killed.code, 4);
  assert.match(killed.stderr, /the kernel died while cell 2 was running/);
});

test('bad arguments exit 2 with the usage; a bad value names the option', async () => {
  const none = await cli();
  assert.equal(none.code, 2);
  assert.match(none.stderr, /usage: windowpane run NOTEBOOK\.ipynb/);
  const unknown = await cli(fixture('params.ipynb'), '--frobnicate', 'x');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option --frobnicate/);
  const badUntil = await cli(fixture('params.ipynb'), '--until', 'forever');
  assert.equal(badUntil.code, 2);
  assert.ok(badUntil.stderr.includes(messages.runUntilInvalid('forever')));
});
