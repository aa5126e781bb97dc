import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { History } from '../../../../kernel/protocol/history.js';
import type { HistoryRequest } from '../../../../kernel/protocol/messages.js';

const req = (r: Partial<HistoryRequest>): HistoryRequest => ({ output: false, raw: true, hist_access_type: 'tail', session: 0, start: 0, stop: undefined, n: undefined, pattern: '*', unique: false, ...r });

test('history persists across kernel sessions and answers tail, range and search', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-history-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'history.jsonl');

  const first = new History(file);
  assert.equal(first.session, 1);
  first.add(1, 'let a = 1', null);
  first.add(2, 'a + 1', '2');

  const second = new History(file);
  assert.equal(second.session, 2);
  second.add(1, 'a + 1', '2');
  second.add(2, 'console.log(a)', null);

  assert.deepEqual(second.query(req({ n: 2 })), [[2, 1, 'a + 1'], [2, 2, 'console.log(a)']]);
  assert.deepEqual(second.query(req({ n: 1, output: true })), [[2, 2, ['console.log(a)', null]]]);
  assert.deepEqual(second.query(req({ hist_access_type: 'range', session: -1, start: 2, stop: 3 })), [[1, 2, 'a + 1']]);
  assert.deepEqual(second.query(req({ hist_access_type: 'range', session: 0, start: 1 })), [[2, 1, 'a + 1'], [2, 2, 'console.log(a)']]);
  assert.deepEqual(second.query(req({ hist_access_type: 'search', pattern: 'a ?*' })), [[1, 2, 'a + 1'], [2, 1, 'a + 1']]);
  assert.deepEqual(second.query(req({ hist_access_type: 'search', pattern: 'a ?*', unique: true })), [[2, 1, 'a + 1']]);
  assert.deepEqual(second.query(req({ hist_access_type: 'search', pattern: '*a*', n: 1 })), [[2, 2, 'console.log(a)']]);
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 4);
});
