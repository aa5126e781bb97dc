import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamBatcher } from '../../../../kernel/protocol/stream-batcher.js';
import type { Header } from '../../../../kernel/protocol/wire.js';

const header = (id: string): Header => ({ msg_id: id, session: 's', username: 'u', date: '', msg_type: 'execute_request', version: '5.3' });

test('joins consecutive output of one cell and stream; keeps order across cells and streams', () => {
  const out: string[] = [];
  const b = new StreamBatcher((parent, name, text) => out.push(`${parent?.msg_id}/${name}: ${text}`), 1000);
  b.add(header('a'), 'stdout', '1\n');
  b.add(header('a'), 'stdout', '2\n');
  b.add(header('a'), 'stderr', 'e\n');
  b.add(header('b'), 'stderr', 'f\n');
  b.add(header('a'), 'stderr', 'g\n');
  b.flush();
  assert.deepEqual(out, ['a/stdout: 1\n2\n', 'a/stderr: e\n', 'b/stderr: f\n', 'a/stderr: g\n']);
});

test('flushes on its timer and when the batch grows large', async () => {
  const out: string[] = [];
  let second = () => {};
  const timerFlushed = new Promise<void>((r) => (second = r));
  const b = new StreamBatcher(
    (_p, _n, text) => {
      out.push(text);
      if (out.length === 2) second();
    },
    5,
    4,
  );
  b.add(null, 'stdout', 'ab');
  b.add(null, 'stdout', 'cd');
  assert.deepEqual(out, ['abcd']);
  b.add(null, 'stdout', 'e');
  await timerFlushed;
  assert.deepEqual(out, ['abcd', 'e']);
});
