import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decode, DELIMITER, encode, Signer, type Header } from '../../../../kernel/protocol/wire.js';
import { validate } from '../../../../kernel/protocol/validate.js';

// Frames recorded from jupyter_client's Session (the reference implementation), see fixtures/.
const recorded = JSON.parse(readFileSync(new URL('./fixtures/recorded-frames.json', import.meta.url), 'utf8')) as { key: string; execute_request: string[]; comm_msg_with_buffer: string[] };
const frames = (hex: readonly string[]) => hex.map((h) => Buffer.from(h, 'hex'));
const signer = new Signer('hmac-sha256', recorded.key);

test('decodes and verifies an execute_request signed by jupyter_client', () => {
  const d = decode(frames(recorded.execute_request), signer);
  assert.ok(d.ok);
  assert.deepEqual(d.message.ids.map((b) => Buffer.from(b).toString()), ['client-identity']);
  const v = validate(d.message, 'shell');
  assert.ok(v.ok);
  assert.equal(v.message.header.msg_type, 'execute_request');
  assert.equal(v.message.header.msg_id, 'a1b2c3d4-0001');
  assert.deepEqual(v.message.content, { code: 'console.log("hé")', silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true });
});

test('keeps binary buffers after the signed frames', () => {
  const d = decode(frames(recorded.comm_msg_with_buffer), signer);
  assert.ok(d.ok);
  assert.equal(d.message.buffers.length, 1);
  assert.deepEqual([...d.message.buffers[0]!], [0, 1, 2, 255]);
  const v = validate(d.message, 'shell');
  assert.ok(v.ok && v.message.header.msg_type === 'comm_msg');
  assert.deepEqual(v.message.content, { comm_id: 'c0ffee', data: { op: 'ping' } });
});

test('rejects a tampered frame, a wrong key and a truncated signature', () => {
  const tampered = frames(recorded.execute_request);
  tampered[6] = Buffer.from(tampered[6]!.toString().replace('console', 'consolE'));
  assert.deepEqual(decode(tampered, signer), { ok: false, reason: 'bad signature' });
  assert.deepEqual(decode(frames(recorded.execute_request), new Signer('hmac-sha256', 'other-key')), { ok: false, reason: 'bad signature' });
  const short = frames(recorded.execute_request);
  short[2] = short[2]!.subarray(0, 10);
  assert.deepEqual(decode(short, signer), { ok: false, reason: 'bad signature' });
});

test('rejects frames without a delimiter or with too few parts', () => {
  assert.equal(decode([Buffer.from('x')], signer).ok, false);
  assert.equal(decode([DELIMITER, Buffer.from(''), Buffer.from('{}')], signer).ok, false);
});

test('an empty key turns signing off, as in jupyter_client', () => {
  const unsigned = new Signer('hmac-sha256', '');
  const f = frames(recorded.execute_request);
  f[2] = Buffer.from('');
  assert.ok(decode(f, unsigned).ok);
});

test('encodes [ids, delimiter, hmac, header, parent, metadata, content, buffers] with the HMAC of the four JSON frames', () => {
  const header: Header = { msg_id: 'm1', session: 's', username: 'u', date: '2026-01-01T00:00:00.000Z', msg_type: 'stream', version: '5.3' };
  const out = encode({ ids: [Buffer.from('id')], header, parent_header: {}, metadata: {}, content: { name: 'stdout', text: 'hi' }, buffers: [new Uint8Array([9])] }, signer);
  assert.equal(out.length, 8);
  assert.equal(out[1]!.toString(), '<IDS|MSG>');
  const expected = createHmac('sha256', recorded.key).update(out[3]!).update(out[4]!).update(out[5]!).update(out[6]!).digest('hex');
  assert.equal(out[2]!.toString(), expected);
  assert.deepEqual(JSON.parse(out[6]!.toString()), { name: 'stdout', text: 'hi' });
  const back = decode(out, signer);
  assert.ok(back.ok);
  assert.deepEqual(back.message.header, header);
});

test('refuses an unknown signature scheme', () => {
  assert.throws(() => new Signer('hmac-nope', 'k'), /signature_scheme/);
});
