/**
 * A looping replay against the real broker: after the file it starts over with the event times
 * shifted one period later (in the values and the Kafka timestamps), pass after pass, until stopped,
 * so a demo topic stays live. A loop without a pace is refused.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replay } from '../../../src/replay/index.js';
import { ConfigError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';
import { createTopic, testKafka } from '../../helpers/kafka.js';
import { readTopic } from '../engine/sink/readTopic.js';

const kafka = testKafka();
const DAY = 86_400_000;
let dir: string;
let file: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'windowpane-loop-'));
  file = join(dir, 'events.csv');
  // three events over an hour and a half: a loop shifts each pass by one day (the span, in whole days)
  writeFileSync(file, 'ts,v\n2024-03-01 10:00:00,1\n2024-03-01 10:30:00,2\n2024-03-01 11:30:00,3\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function loopUntil(topic: string, loop: boolean | { shiftMs: number }, records: number) {
  const abort = new AbortController();
  const done = replay({ file, topic, kafka, rate: 200, loop, signal: abort.signal, progressIntervalMs: 0, onProgress: (p) => p.sent >= records && abort.abort() });
  const result = await done;
  const got = await readTopic(kafka, topic);
  return { result, got: got.map((r) => ({ ...(JSON.parse(r.value ?? 'null') as { ts: string; v: number }), timestamp: r.timestampMs })) };
}

test('a looping replay repeats the file with event times one period later each pass, until stopped', async () => {
  const topic = await createTopic({ kafka, partitions: 1 });
  const { result, got } = await loopUntil(topic, true, 7);
  assert.equal(result.stopped, true);
  assert.ok(result.passes >= 3, `passes: ${result.passes}`);
  assert.ok(got.length >= 7);
  const start = Date.parse('2024-03-01T10:00:00Z');
  const offsets = [0, 30 * 60_000, 90 * 60_000];
  got.forEach((r, i) => {
    const expected = start + offsets[i % 3]! + Math.floor(i / 3) * DAY;
    assert.equal(r.v, (i % 3) + 1, `record ${i}`);
    assert.equal(Date.parse(r.ts), expected, `record ${i}: the value's event time`);
    assert.equal(r.timestamp, expected, `record ${i}: the Kafka timestamp`);
  });
});

test('the period of a loop can be given', async () => {
  const topic = await createTopic({ kafka, partitions: 1 });
  const { got } = await loopUntil(topic, { shiftMs: 2 * 3_600_000 }, 6);
  assert.deepEqual(got.slice(0, 6).map((r) => r.ts.slice(11, 16)), ['10:00', '10:30', '11:30', '12:00', '12:30', '13:30']);
});

test('a loop needs a pace', async () => {
  await assert.rejects(replay({ file, topic: 'never-created', kafka, loop: true }), (e: unknown) => e instanceof ConfigError && e.message === messages.replayLoopUnpaced());
});
