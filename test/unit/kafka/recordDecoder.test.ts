/**
 * Record batches decoded into columns: plain and compressed batches, null keys and values, headers,
 * a start offset inside a batch, a batch cut off at the end of the response, and read-committed
 * skipping of an aborted transaction and of control batches. The bytes are made by
 * @platformatic/kafka's own batch writer, with the base offset and attributes set by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRecordsBatch } from '@platformatic/kafka';
import { textAt, toRecords } from '../../../src/kafka/batch.js';
import { decodeRecords } from '../../../src/kafka/recordDecoder.js';

const T0 = 1_767_225_600_000;

function batch(base: number, values: (string | null)[], options: { compression?: 'gzip' | 'none'; producerId?: bigint; transactional?: boolean; control?: boolean; headers?: boolean } = {}): Buffer {
  const messages = values.map((v, i) => ({
    topic: 't', partition: 0, timestamp: BigInt(T0 + base + i),
    ...(i % 2 === 0 ? { key: Buffer.from(`k${base + i}`) } : {}),
    value: v === null ? (null as unknown as Buffer) : Buffer.from(v),
    ...(options.headers ? { headers: new Map([[Buffer.from('h'), Buffer.from(`x${i}`)]]) } : {}),
  }));
  const w = createRecordsBatch(messages, { compression: options.compression ?? 'none', producerId: options.producerId ?? 7n, ...(options.transactional ? { transactionalId: 'tx' } : {}) });
  const buf = Buffer.from(w.buffer);
  buf.writeBigInt64BE(BigInt(base), 0);
  if (options.control) buf.writeInt16BE(buf.readInt16BE(21) | 0x20, 21);
  return buf;
}

test('plain and gzip batches become columns; a start offset inside a batch and a cut-off batch are respected', () => {
  const a = batch(0, ['{"v":0}', null, 'é ü']);
  const b = batch(3, ['{"v":3}', '{"v":4}'], { compression: 'gzip', headers: true });
  const cut = batch(5, ['{"v":5}']).subarray(0, 40);
  const got = decodeRecords(2, Buffer.concat([a, b, cut]), 1);
  assert.deepEqual([...got.offsets], [1, 2, 3, 4]);
  assert.deepEqual([...got.timestamps], [T0 + 1, T0 + 2, T0 + 3, T0 + 4]);
  assert.equal(got.next, 5);
  const records = toRecords(got);
  assert.deepEqual(records.map((r) => [r.partition, r.key, r.value]), [[2, null, null], [2, 'k2', 'é ü'], [2, 'k3', '{"v":3}'], [2, null, '{"v":4}']]);
  assert.deepEqual(records.map((r) => r.headers), [null, null, '{"h":"x0"}', '{"h":"x1"}']);
  assert.equal(textAt(got.values, 1), 'é ü');
});

test('read committed: an aborted transaction and control batches are skipped, their offsets still read', () => {
  const committed = batch(0, ['a', 'b']);
  const aborted = batch(2, ['x', 'y'], { transactional: true, producerId: 9n });
  const marker = batch(4, ['m'], { transactional: true, producerId: 9n, control: true });
  const after = batch(5, ['c'], { transactional: true, producerId: 9n });
  const got = decodeRecords(0, Buffer.concat([committed, aborted, marker, after]), 0, [{ producerId: 9n, firstOffset: 2n }]);
  assert.deepEqual(toRecords(got).map((r) => [r.offset, r.value]), [[0, 'a'], [1, 'b'], [5, 'c']]);
  assert.equal(got.next, 6);
  const onlyControl = decodeRecords(0, marker, 4);
  assert.equal(onlyControl.length, 0);
  assert.equal(onlyControl.next, 5);
});
