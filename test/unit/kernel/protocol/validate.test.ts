import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMsgType } from '../../../../kernel/protocol/messages.js';
import { validate } from '../../../../kernel/protocol/validate.js';
import type { RawMessage } from '../../../../kernel/protocol/wire.js';

const raw = (msg_type: string, content: unknown): RawMessage => ({
  ids: [],
  header: { msg_id: '1', msg_type, session: 's', username: 'u', date: '', version: '5.3' },
  parent_header: {},
  metadata: {},
  content,
  buffers: [],
});

test('fills the spec defaults of execute_request; silent implies no history', () => {
  const v = validate(raw('execute_request', { code: '1', silent: true }), 'shell');
  assert.ok(v.ok);
  assert.deepEqual(v.message.content, { code: '1', silent: true, store_history: false, user_expressions: {}, allow_stdin: true, stop_on_error: true });
});

test('history_request defaults and access types', () => {
  const v = validate(raw('history_request', { hist_access_type: 'search', pattern: 'a*', unique: true }), 'shell');
  assert.ok(v.ok && isMsgType(v.message, 'history_request'));
  assert.equal(v.message.content.pattern, 'a*');
  assert.equal(v.message.content.unique, true);
  assert.equal(v.message.content.n, undefined);
  assert.equal(validate(raw('history_request', { hist_access_type: 'everything' }), 'shell').ok, false);
});

test('drops malformed requests with a reason instead of throwing', () => {
  assert.deepEqual(validate(raw('execute_request', { code: 3 }), 'shell'), { ok: false, reason: 'code must be a string' });
  assert.deepEqual(validate(raw('frobnicate_request', {}), 'shell'), { ok: false, reason: 'unsupported msg_type frobnicate_request' });
  assert.deepEqual(validate({ ...raw('kernel_info_request', {}), header: 'nope' }, 'shell'), { ok: false, reason: 'header is not an object' });
  assert.deepEqual(validate(raw('execute_request', { code: 'x', user_expressions: { a: 1 } }), 'shell'), { ok: false, reason: 'user_expressions must map names to strings' });
});

test('complete and inspect default the cursor to the end of the code', () => {
  const c = validate(raw('complete_request', { code: 'Math.' }), 'shell');
  assert.ok(c.ok && isMsgType(c.message, 'complete_request'));
  assert.equal(c.message.content.cursor_pos, 5);
  const i = validate(raw('inspect_request', { code: 'x', detail_level: 1 }), 'shell');
  assert.ok(i.ok && isMsgType(i.message, 'inspect_request'));
  assert.equal(i.message.content.detail_level, 1);
});
