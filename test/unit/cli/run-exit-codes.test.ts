/**
 * `windowpane run` exits with the codes its --help documents. The codes are read from the help
 * text itself, so the two cannot drift apart: bad arguments (a bad --until, a bad -p, a missing
 * notebook, a bad time-out, an unknown option) exit with the code listed for "bad arguments",
 * before any server or kernel starts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../../src/cli/commands/run.js';
import { main } from '../../../src/cli/main.js';
import { messages } from '../../../src/messages.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const notebook = join(root, 'test', 'fixtures', 'notebooks', 'params.ipynb');

/** "Exit codes: 0 all cells ran; 1 a cell failed; ... 2 bad arguments." as meaning → code. */
function documentedCodes(usage: string): Map<string, number> {
  const text = /Exit codes:([\s\S]*?)\.(?:\n|$)/.exec(usage)?.[1];
  assert.ok(text, 'the help text lists the exit codes');
  const codes = new Map<string, number>();
  for (const part of text.split(';')) {
    const m = /^\s*(\d+)\s+(.+?)\s*$/s.exec(part.replace(/\s+/g, ' '));
    assert.ok(m, `an exit code entry: ${part}`);
    codes.set(m[2]!, Number(m[1]));
  }
  return codes;
}

/** Runs `windowpane run ...args` in this process; its exit code and what it wrote to stderr. */
async function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(['run', ...args]), stderr };
  } finally {
    process.stderr.write = write;
  }
}

test('the help text documents every exit code the runner returns', () => {
  const codes = documentedCodes(runCommand.usage);
  assert.deepEqual([...codes.values()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 130]);
  assert.equal(codes.get('bad arguments'), 2);
});

test('bad arguments exit with the documented code and say what is wrong', async () => {
  const bad = documentedCodes(runCommand.usage).get('bad arguments');
  const cases: [args: string[], says: string][] = [
    [[notebook, '--until', '5parsecs'], messages.runUntilInvalid('5parsecs')],
    [[notebook, '-p', '='], messages.invalidParameter('=')],
    [[notebook, '-p', '2x=1'], messages.invalidParameter('2x=1')],
    [['no-such-notebook.ipynb'], messages.notebookMissing('no-such-notebook.ipynb', process.cwd())],
    [[notebook, '--cell-timeout', 'soon'], '--cell-timeout'],
    [[notebook, '--url', 'not a url'], '--url'],
    [[notebook, '--frobnicate', 'x'], 'unknown option --frobnicate'],
    [[], 'usage: windowpane run NOTEBOOK.ipynb'],
  ];
  for (const [args, says] of cases) {
    const r = await run(...args);
    assert.equal(r.code, bad, `windowpane run ${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(says), `windowpane run ${args.join(' ')} says ${JSON.stringify(says)}; it said: ${r.stderr}`);
  }
});

test('a missing notebook names the working folder its relative path resolves from', async () => {
  const r = await run('notebooks/nothing-here.ipynb');
  assert.ok(r.stderr.includes(process.cwd()), r.stderr);
});

test('the process exit code is the one run returns', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "const { main } = await import('./src/cli/main.ts'); process.exitCode = await main(['run', 'x.ipynb', '--until', '5parsecs']);"], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, documentedCodes(runCommand.usage).get('bad arguments'), r.stderr);
});
