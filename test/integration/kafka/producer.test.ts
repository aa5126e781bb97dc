/**
 * The write path's producer on the real broker: keyed messages land where the Java client and
 * kafkajs put them (murmur2), messages without a key are spread round robin, a null value is a
 * tombstone, timestamps are kept; a kafkajs client made elsewhere falls back to kafkajs's producer
 * with the same layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { textAt } from '../../../src/kafka/batch.js';
import { openProducer, type OutMessage } from '../../../src/kafka/producer.js';
import { openReader } from '../../../src/kafka/reader.js';
import { createTopic, deleteTopic, testKafka, testKafkaSettings } from '../../helpers/kafka.js';

interface Read {
  readonly partition: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly timestampMs: number;
}

/** Every record of the topic up to its current end. */
async function readAll(kafka: Kafka, topic: string): Promise<Read[]> {
  const admin = kafka.admin();
  await admin.connect();
  const high = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const out: Read[] = [];
  const next = new Map([...high.keys()].map((p) => [p, 0]));
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const atEnd = (): boolean => [...high].every(([p, h]) => (next.get(p) ?? 0) >= h);
  const reader = openReader(kafka, topic, next, (p, records) => {
    for (let i = 0; i < records.length; i++) {
      if (records.offsets[i]! < (high.get(p) ?? 0)) out.push({ partition: p, key: textAt(records.keys, i), value: textAt(records.values, i), timestampMs: records.timestamps[i]! });
    }
    next.set(p, records.next);
    if (atEnd()) done();
    return Promise.resolve();
  });
  await reader.start();
  if (!atEnd()) await finished;
  await reader.stop();
  return out;
}

const KEYED: OutMessage[] = Array.from({ length: 300 }, (_, i) => ({ key: `key-${i}`, value: JSON.stringify({ i }), timestampMs: Date.UTC(2026, 0, 1) + i }));

test('keyed messages land on the partitions kafkajs and the Java client choose; keyless ones spread; tombstones and timestamps kept', { timeout: 120_000 }, async () => {
  const kafka = testKafka();
  const ours = await createTopic({ prefix: 'producer-ours', partitions: 3, kafka });
  const theirs = await createTopic({ prefix: 'producer-kafkajs', partitions: 3, kafka });
  try {
    const producer = await openProducer(kafka);
    const keyless: OutMessage[] = Array.from({ length: 30 }, (_, i) => ({ key: null, value: `loose-${i}` }));
    const tombstones: OutMessage[] = [{ key: 'key-1', value: null }, { key: 'key-2', value: null }];
    await producer.send(ours, KEYED);
    await producer.send(ours, keyless);
    await producer.send(ours, tombstones);
    await producer.close();

    const kjs = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await kjs.connect();
    await kjs.send({ topic: theirs, acks: -1, messages: KEYED.map((m) => ({ key: m.key, value: m.value })) });
    await kjs.disconnect();

    const got = await readAll(kafka, ours);
    const expected = new Map((await readAll(kafka, theirs)).map((r) => [r.key, r.partition]));
    const keyed = got.filter((r) => r.key !== null && r.value !== null);
    assert.equal(keyed.length, 300);
    for (const r of keyed) assert.equal(r.partition, expected.get(r.key), `key ${r.key}`);
    assert.equal(new Set(keyed.map((r) => r.partition)).size, 3, 'the keys use every partition');
    for (const r of keyed) assert.equal(r.timestampMs, Date.UTC(2026, 0, 1) + (JSON.parse(r.value!) as { i: number }).i);

    const loose = got.filter((r) => r.key === null);
    assert.deepEqual(loose.map((r) => r.value).sort(), keyless.map((m) => m.value).sort());
    assert.deepEqual([0, 1, 2].map((p) => loose.filter((r) => r.partition === p).length), [10, 10, 10], 'round robin over the partitions');

    const deleted = got.filter((r) => r.value === null);
    assert.deepEqual(deleted.map((r) => [r.key, r.partition]).sort(), [['key-1', expected.get('key-1')], ['key-2', expected.get('key-2')]]);
  } finally {
    await deleteTopic(kafka, ours);
    await deleteTopic(kafka, theirs);
  }
});

test('a kafkajs client made elsewhere produces through kafkajs, with the same layout', { timeout: 60_000 }, async () => {
  const settings = testKafkaSettings();
  const foreign = new Kafka({ brokers: [...settings.brokers], clientId: 'windowpane-test-foreign', logLevel: logLevel.NOTHING });
  const kafka = testKafka();
  const topic = await createTopic({ prefix: 'producer-foreign', partitions: 3, kafka });
  const reference = await createTopic({ prefix: 'producer-reference', partitions: 3, kafka });
  try {
    const producer = await openProducer(foreign);
    await producer.send(topic, KEYED);
    await producer.close();
    const fast = await openProducer(kafka);
    await fast.send(reference, KEYED);
    await fast.close();
    const expected = new Map((await readAll(kafka, reference)).map((r) => [r.key, r.partition]));
    const got = await readAll(kafka, topic);
    assert.equal(got.length, 300);
    for (const r of got) assert.equal(r.partition, expected.get(r.key), `key ${r.key}`);
  } finally {
    await deleteTopic(kafka, topic);
    await deleteTopic(kafka, reference);
  }
});

test('sends asked for at once go one after the other: every message once, in order per key', { timeout: 60_000 }, async () => {
  const kafka = testKafka();
  const topic = await createTopic({ prefix: 'producer-concurrent', partitions: 3, kafka });
  try {
    const producer = await openProducer(kafka);
    const sends = Array.from({ length: 20 }, (_, s) => Array.from({ length: 50 }, (_, i): OutMessage => ({ key: `key-${i % 7}`, value: `${s}:${i}` })));
    await Promise.all(sends.map((messages) => producer.send(topic, messages)));
    await producer.close();
    const got = await readAll(kafka, topic);
    assert.equal(got.length, 1000);
    assert.equal(new Set(got.map((r) => r.value)).size, 1000);
    for (let k = 0; k < 7; k++) {
      const order = got.filter((r) => r.key === `key-${k}`).map((r) => r.value!.split(':').map(Number));
      const sorted = [...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
      assert.deepEqual(order, sorted, `key-${k} in the order of the sends`);
    }
  } finally {
    await deleteTopic(kafka, topic);
  }
});
