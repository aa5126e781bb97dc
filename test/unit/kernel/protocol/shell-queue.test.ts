import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyMessage } from '../../../../kernel/protocol/messages.js';
import { ShellQueue } from '../../../../kernel/protocol/shell-queue.js';

const msg = (id: string, msg_type: string): AnyMessage =>
  ({ channel: 'shell', ids: [], header: { msg_id: id, msg_type, session: 's', username: 'u', date: '', version: '5.3' }, parent_header: {}, metadata: {}, content: {}, buffers: [] }) as unknown as AnyMessage;

function recorder() {
  const log: string[] = [];
  const queue = new ShellQueue({
    answerHere: (m) => log.push(`here ${m.header.msg_id}`),
    dispatch: (m) => log.push(`main ${m.header.msg_id}`),
    abort: (m) => log.push(`abort ${m.header.msg_id}`),
    unsupported: (m) => log.push(`drop ${m.header.msg_id}`),
  });
  return { log, queue };
}

test('hands requests to the main thread one at a time, in order', () => {
  const { log, queue } = recorder();
  queue.push(msg('a', 'execute_request'));
  queue.push(msg('b', 'complete_request'));
  queue.push(msg('c', 'kernel_info_request'));
  assert.deepEqual(log, ['main a']);
  queue.done(false, (m) => log.push(`idle ${m.header.msg_id}`));
  assert.deepEqual(log, ['main a', 'idle a', 'main b']);
  queue.done(false, (m) => log.push(`idle ${m.header.msg_id}`));
  assert.deepEqual(log, ['main a', 'idle a', 'main b', 'idle b', 'here c']);
  assert.equal(queue.current, undefined);
});

test('stop_on_error aborts the queued execute_requests only, after the failed one is idle', () => {
  const { log, queue } = recorder();
  queue.push(msg('a', 'execute_request'));
  queue.push(msg('b', 'execute_request'));
  queue.push(msg('c', 'inspect_request'));
  queue.push(msg('d', 'execute_request'));
  queue.done(true, (m) => log.push(`idle ${m.header.msg_id}`));
  assert.deepEqual(log, ['main a', 'idle a', 'abort b', 'abort d', 'main c']);
  queue.push(msg('e', 'execute_request'));
  queue.done(false, () => undefined);
  assert.deepEqual(log.slice(-1), ['main e']);
});

test('requests that do not belong on shell are dropped, not queued forever', () => {
  const { log, queue } = recorder();
  queue.push(msg('x', 'input_reply'));
  queue.push(msg('y', 'history_request'));
  assert.deepEqual(log, ['drop x', 'main y']);
});
