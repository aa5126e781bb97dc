/** The renderer takes only comm messages of the right shape (isToFrontend), field by field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isToFrontend } from '../../../src/chart/protocol.js';

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
