/** The renderer takes only comm messages of the right shape (isToFrontend), field by field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARROW_MIN_ROWS, isToFrontend, readToFrontend, toWire } from '../../../src/chart/protocol.js';
import { encodeRows } from '../../../src/chart/arrow.js';

const row = { key: 'w1|SFO', window_start: 0, origin: 'SFO', n: 3, late: 0, kind: 'final', note: null, ok: true };

test('well-formed kernel messages pass', () => {
  for (const m of [
    { type: 'reset', state: 'live', summary: '', values: [row] },
    { type: 'changes', summary: '1 window', upsert: [row], remove: ['w0|JFK'] },
    { type: 'end', state: 'finished', summary: 'done' },
    { type: 'unknown', chartId: 'c1' },
  ]) assert.equal(isToFrontend(m), true, JSON.stringify(m));
});

test('anything else is ignored: wrong tags, missing fields, wrong types, rows that are not flat or have no key', () => {
  for (const m of [
    null, 'reset', [], 42, {}, { type: 'rest' }, { type: 'toString' },
    { type: 'reset', state: 'live', summary: '' },
    { type: 'reset', state: 'sleeping', summary: '', values: [] },
    { type: 'reset', state: 'live', summary: 3, values: [] },
    { type: 'reset', state: 'live', summary: '', values: 'rows' },
    { type: 'reset', state: 'live', summary: '', values: [{ ...row, key: 7 }] },
    { type: 'reset', state: 'live', summary: '', values: [{ ...row, nested: { a: 1 } }] },
    { type: 'changes', summary: '', upsert: [row] },
    { type: 'changes', summary: '', upsert: [row], remove: [1] },
    { type: 'changes', summary: '', upsert: [null], remove: [] },
    { type: 'end', summary: 'done' },
    { type: 'unknown', chartId: ['c1'] },
  ]) assert.equal(isToFrontend(m), false, JSON.stringify(m));
});

test('large row sets go as Arrow IPC in a binary buffer and read back as the same rows', () => {
  const rows = Array.from({ length: ARROW_MIN_ROWS }, (_, i) => ({ ...row, key: `w${i}|SFO`, n: i, origin: i % 7 === 0 ? null : `S${i % 3}é`, ok: i % 2 === 0 }));
  const { data, buffers } = toWire({ type: 'changes', summary: 's', upsert: rows, remove: ['gone'] });
  assert.deepEqual((data as { upsert: unknown }).upsert, { arrow: 0 });
  assert.equal(buffers.length, 1);
  assert.ok(buffers[0]!.byteLength < JSON.stringify(rows).length, 'fewer bytes than JSON');
  assert.deepEqual(readToFrontend(data, buffers), { type: 'changes', summary: 's', upsert: rows, remove: ['gone'] });
  const reset = toWire({ type: 'reset', state: 'live', summary: '', values: rows });
  assert.deepEqual(readToFrontend(reset.data, reset.buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))), { type: 'reset', state: 'live', summary: '', values: rows }, 'an ArrayBuffer as the browser gets it');
});

test('small row sets, and fields of mixed types, stay JSON', () => {
  const few = toWire({ type: 'changes', summary: '', upsert: [row], remove: [] });
  assert.deepEqual(few.buffers, []);
  const mixed = Array.from({ length: ARROW_MIN_ROWS }, (_, i) => ({ ...row, key: String(i), n: i % 2 ? 1 : 'one' }));
  assert.equal(encodeRows(mixed), undefined);
  assert.deepEqual(toWire({ type: 'reset', state: 'live', summary: '', values: mixed }).buffers, []);
});

test('an Arrow message is checked like any other: a missing buffer, bytes that are not Arrow, rows without a key are ignored', () => {
  const rows = Array.from({ length: 3 }, (_, i) => ({ key: String(i), n: i }));
  const bytes = encodeRows(rows)!;
  assert.ok(readToFrontend({ type: 'changes', summary: '', upsert: { arrow: 0 }, remove: [] }, [bytes]));
  assert.equal(readToFrontend({ type: 'changes', summary: '', upsert: { arrow: 1 }, remove: [] }, [bytes]), undefined);
  assert.equal(readToFrontend({ type: 'changes', summary: '', upsert: { arrow: 0 }, remove: [] }, []), undefined);
  assert.equal(readToFrontend({ type: 'changes', summary: '', upsert: { arrow: 0 }, remove: [] }, [new Uint8Array([1, 2, 3, 4])]), undefined);
  assert.equal(readToFrontend({ type: 'reset', state: 'live', summary: '', values: { arrow: 0 } }, [encodeRows([{ id: 'x', n: 1 }])!]), undefined, 'rows without a string key');
  assert.equal(readToFrontend({ type: 'changes', summary: '', upsert: { arrow: '0' }, remove: [] }, [bytes]), undefined);
  assert.deepEqual(readToFrontend({ type: 'status', status: { phase: 'live', items: [] } }), { type: 'status', status: { phase: 'live', items: [] } }, 'messages without rows need no buffer');
  assert.equal(readToFrontend({ type: 'status', status: { phase: 'later', items: [] } }), undefined);
});
