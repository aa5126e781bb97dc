import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleProgress } from '../../../src/runner/progress.js';

function sink(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = { isTTY, write: (s: string) => ((out += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out };
}

test('in CI (or without a terminal) progress is plain lines', () => {
  const { stream, text } = sink(true);
  const progress = consoleProgress(stream, { CI: 'true' });
  progress({ kind: 'cell-start', cell: 2, total: 5, firstLine: 'x = 1' });
  progress({ kind: 'cell-end', cell: 2, total: 5, ms: 1234, status: 'completed' });
  progress({ kind: 'saved', path: 'out.ipynb' });
  progress.close();
  assert.match(text(), /^cell 2\/5 started {2}x = 1\ncell 2\/5 completed in 1\.2s \(elapsed \d+\.\ds\)\nwrote out\.ipynb\n$/);
});

test('on a terminal one line is redrawn in place, with a bar over the cells', () => {
  const { stream, text } = sink(true);
  const progress = consoleProgress(stream, {});
  progress({ kind: 'cell-start', cell: 1, total: 3, firstLine: 'print(1)' });
  progress({ kind: 'cell-end', cell: 1, total: 3, ms: 100, status: 'completed' });
  progress({ kind: 'cell-start', cell: 2, total: 3, firstLine: 'print(2)' });
  progress.close();
  const out = text();
  assert.ok(out.startsWith('\r\x1b[2K[........................] cell 1/3  print(1) · '), JSON.stringify(out));
  assert.ok(out.includes('\r\x1b[2K[########................] cell 1/3 completed in 0.1s · '), JSON.stringify(out));
  assert.ok(out.includes('\r\x1b[2K[########................] cell 2/3  print(2) · '), JSON.stringify(out));
  assert.equal(out.split('\n').length, 2, 'a single line, ended once');
});

test('on a terminal a failed cell leaves its line and the next cell starts a new one', () => {
  const { stream, text } = sink(true);
  const progress = consoleProgress(stream, {});
  progress({ kind: 'cell-start', cell: 1, total: 2, firstLine: 'boom()' });
  progress({ kind: 'cell-end', cell: 1, total: 2, ms: 1500, status: 'failed' });
  progress({ kind: 'saved', path: 'out.ipynb' });
  progress.close();
  assert.match(text(), /cell 1\/2 {2}boom\(\) · \d+\.\ds\ncell 1\/2 failed in 1\.5s\nwrote out\.ipynb\n$/);
});
