/** Schema drift: a new field and a changed type are told once each, with where they first showed; the records are not touched. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchOf, type RecordBatch } from '../../../../src/kafka/batch.js';
import { DriftWatch } from '../../../../src/engine/source/drift.js';
import { messages } from '../../../../src/messages.js';

interface Rec {
  readonly offset: number;
  readonly value: unknown;
}
const rec = (offset: number, value: unknown): Rec => ({ offset, value });
/** The records as a batch of one partition, as a reader hands them over. */
function batch(partition: number, records: readonly Rec[]): RecordBatch {
  const bytes = (v: unknown): Uint8Array | null => (v === null ? null : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)));
  return batchOf(partition, records.map((r) => ({ offset: r.offset, timestampMs: 0, key: null, value: bytes(r.value) })));
}

test('a new field and a changed type: one warning each, naming the field, the types and the first offset', () => {
  const told: string[] = [];
  const w = new DriftWatch({ name: 'ev', schema: { ts: 'TIMESTAMP', v: 'BIGINT', g: 'VARCHAR' } }, 'events', (m) => told.push(m));
  w.observe(0, batch(0, [rec(0, { ts: 1, v: 1, g: 'a' }), rec(1, { ts: 2, v: 2, g: 'b' })]));
  assert.deepEqual(told, []);
  // bad records are not drift: they have dead-letter reasons of their own
  w.observe(0, batch(0, [rec(2, 'not json'), rec(3, null), rec(4, 'null'), rec(5, { ts: 3, v: null, g: 'c' })]));
  assert.deepEqual(told, []);
  w.observe(0, batch(0, [rec(6, { ts: 4, v: 3, g: 'a', region: 'eu' }), rec(7, { ts: 5, v: 4, g: 'a', region: 'us' })]));
  w.observe(0, batch(0, [rec(8, { ts: 6, v: '12', g: 'a' }), rec(9, { ts: 7, v: '13', g: 7 })]));
  w.observe(0, batch(0, [rec(10, { ts: 8, v: '14', g: 8, region: 'eu' })]));
  assert.deepEqual(told, [
    messages.driftNewField('ev', 'events', 'region', 0, 6),
    messages.driftTypeChanged('ev', 'events', 'v', 'number', 'string', 0, 8, 'BIGINT'),
    messages.driftTypeChanged('ev', 'events', 'g', 'string', 'number', 0, 9, 'VARCHAR'),
  ]);
  assert.equal(w.changes, 3);
  assert.match(told[1]!, /values that convert are kept, the others go to the dead-letter table/);
  assert.match(told[2]!, /kept as text/);
});

test('fields the schema declares may appear later without a warning; undeclared fields may change type freely', () => {
  const told: string[] = [];
  const w = new DriftWatch({ name: 'ev', schema: { ts: 'TIMESTAMP', v: 'BIGINT', note: 'VARCHAR' } }, 't', (m) => told.push(m));
  w.observe(1, batch(1, [rec(0, { ts: 1, v: 1, extra: 1 })]));
  w.observe(1, batch(1, [rec(1, { ts: 2, v: 2, note: 'x', extra: 'one' })]));
  assert.deepEqual(told, []);
});

test('a large batch is sampled: the change still shows when every later record has it', () => {
  const told: string[] = [];
  const w = new DriftWatch({ name: 'ev' }, 't', (m) => told.push(m));
  w.observe(2, batch(2, Array.from({ length: 10_000 }, (_, i) => rec(i, i < 5000 ? { ts: i, v: i } : { ts: i, v: String(i) }))));
  assert.equal(told.length, 1);
  assert.match(told[0]!, /field "v" of topic "t" changed from number to string \(first at partition 2, offset \d+\)\. Records whose values do not convert/);
});
