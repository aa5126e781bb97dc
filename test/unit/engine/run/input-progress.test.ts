/** RunInput's progress counters: the topic's ends as fetches see them, the lag, the hand-off's end, backlog bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka } from 'kafkajs';
import { estimateBytes, RunInput } from '../../../../src/engine/run/input.js';
import { batchOf, type RecordBatch } from '../../../../src/kafka/batch.js';
import type { SourceSpec } from '../../../../src/engine/source/types.js';

const bytes = new TextEncoder();
/** A batch of one partition's records, each value `value` (10 bytes unless given per record). */
const batch = (partition: number, from: number, values: readonly string[]): RecordBatch =>
  batchOf(partition, values.map((v, i) => ({ offset: from + i, timestampMs: 0, key: null, value: bytes.encode(v) })));
const records = (partition: number, from: number, to: number): RecordBatch => batch(partition, from, Array.from({ length: to - from }, () => 'x'.repeat(10)));

function input(start: [number, number][], high: [number, number][], backlogEnd?: [number, number][]): RunInput {
  const handoff = { kind: backlogEnd ? 'backlog' : 'earliest', start: new Map(start), ...(backlogEnd ? { backlogEnd: new Map(backlogEnd) } : {}) } as const;
  return new RunInput({ name: 'ev' } as SourceSpec, 't', {} as Kafka, '127.0.0.1:9092', { low: new Map(start.map(([p]) => [p, 0])), high: new Map(high) }, handoff);
}

test('the lag is what the topic holds past the run position, by the ends the fetches report', () => {
  const i = input([[0, 0], [1, 0]], [[0, 5], [1, 3]]);
  assert.equal(i.lag(), 8, 'at start: the ends seen when the run started');
  assert.equal(i.caughtUp(), false);
  i.take(0, records(0, 0, 5), { kind: 'unbounded' });
  i.noteEnd(0, 7);
  assert.equal(i.lag(), 2 + 3, 'two records arrived on partition 0 since the start');
  assert.equal(i.caughtUp(), false);
  i.take(1, records(1, 0, 3), { kind: 'unbounded' });
  i.noteEnd(1, 3);
  i.take(0, records(0, 5, 7), { kind: 'unbounded' });
  i.noteEnd(0, 7);
  assert.equal(i.lag(), 0);
  assert.equal(i.caughtUp(), true, 'every partition was read up to its end once');
  i.noteEnd(0, 9);
  assert.equal(i.lag(), 2, 'new records: the lag grows again');
  assert.equal(i.caughtUp(), true, 'the hand-off stays over');
});

test('a partition with nothing to read past its start is caught up from the start', () => {
  const i = input([[0, 4]], [[0, 4]]);
  assert.equal(i.lag(), 0);
  assert.equal(i.caughtUp(), true);
});

test('backlog bytes are estimated per batch from three of its records', () => {
  assert.equal(estimateBytes(batch(0, 0, [])), 0);
  assert.equal(estimateBytes(records(0, 0, 100)), 1000);
  const mixed = batch(0, 0, ['a', 'bbbbbbbbbbbb', 'c'.repeat(30), 'ddd']);
  // first (1), middle (index 2: 30) and last (3): 34 / 3 × 4
  assert.equal(estimateBytes(mixed), Math.round((34 / 3) * 4));
  const i = input([[0, 0]], [[0, 100]], [[0, 50]]);
  i.take(0, records(0, 0, 80), { kind: 'unbounded' });
  assert.equal(i.backlogBytes, 500, 'only the 50 records below the backlog end count');
});
