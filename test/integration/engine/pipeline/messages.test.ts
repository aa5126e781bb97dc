/**
 * Kafka sinks of a pipeline on the real broker: the messages DuckDB renders (jsonSql.ts) against
 * the records path over the same topic, backlog then live: the same keys, values and event-time
 * stamps; a key DuckDB leaves to the records path (a DOUBLE column) still writes the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka } from 'kafkajs';
import { kafkaSink, pipeline, source, type PipelineRecord } from '../../../../src/index.js';
import { createTopicAndWait } from '../../../../src/kafka/admin.js';
import { messagesFromRecords } from '../../../../src/engine/pipeline/output.js';
import { testKafka, uniqueTopicName, withTopic } from '../../../helpers/kafka.js';
import { BASE } from '../events.js';
import { readTopic } from '../sink/readTopic.js';

const N = 3000;
const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE', d: 'DECIMAL(18,3)', s: 'VARCHAR' } as const;
const GROUPS = ['a', 'b "quoted" \\', 'ü\n✓'];
const DOUBLES = ['0', '1e21', '1.5e-7', '0.1', '-2.5', '123456789.125'];

/** Event i as JSON text (BIGINTs beyond 2^53 written as digits, which a JavaScript number cannot hold). */
function eventText(i: number): string {
  const v = i % 7 === 0 ? `${9007199254740993n + BigInt(i)}` : `${i - 500}`;
  const s = i % 13 === 0 ? 'null' : JSON.stringify(`s${i}${i % 5 === 0 ? '\u0001\u001f' : ''}`);
  return `{"ts":"${new Date(BASE + i * 1000).toISOString()}","g":${JSON.stringify(GROUPS[i % 3])},"v":${v},"x":${DOUBLES[i % DOUBLES.length]},"d":${(i % 11) / 8},"s":${s}}`;
}

async function topicOf(kafka: Kafka, prefix: string): Promise<string> {
  const topic = uniqueTopicName(prefix);
  const admin = kafka.admin();
  await admin.connect();
  // event-time stamps from 2024: no deletion by age
  await createTopicAndWait(admin, { topic, partitions: 2, configEntries: [{ name: 'retention.ms', value: '-1' }] });
  await admin.disconnect();
  return topic;
}

const sorted = (m: { key: string | null; value: string | null; timestampMs?: number | undefined }[]) =>
  m.map((x) => JSON.stringify([x.key, x.value, x.timestampMs])).sort();

test('Kafka sinks take the messages DuckDB renders: the records path\'s keys, values and stamps, backlog then live', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'pipe-messages' }, async (topic) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (from: number, to: number) =>
      producer.send({ topic, acks: -1, messages: Array.from({ length: to - from }, (_, k) => ({ partition: (from + k) % 2, value: eventText(from + k) })) });
    await send(0, N / 2);
    const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    const sql = `SELECT ts, g, v, x, d, s, v % 1000 AS r FROM ev WHERE v % 3 <> 1`;
    const until = { offsets: { 0: N / 2, 1: N / 2 } };
    const byG = await topicOf(kafka, 'pipe-by-g');
    const byV = await topicOf(kafka, 'pipe-by-v');
    const byX = await topicOf(kafka, 'pipe-by-x');
    // DuckDB's messages: Kafka sinks alone
    const fast = await pipeline(sql, { sources: [ev], kafka, until });
    const sinks = [await fast.sink(kafkaSink({ topic: byG, key: 'g' })), await fast.sink(kafkaSink({ topic: byV, key: 'v', eventTime: true })), await fast.sink(kafkaSink({ topic: byX, key: 'x' }))];
    // the records path over the same topic
    const slow = await pipeline(sql, { sources: [ev], kafka, until });
    const collected = slow.collect();
    await send(N / 2, N);
    await producer.disconnect();
    const records: PipelineRecord[] = await collected;
    await fast.done;
    const written = await Promise.all(sinks.map((s) => s.done));
    assert.ok(records.length > N / 2, `${records.length} records`);
    assert.deepEqual(written.map((w) => w.messages), [records.length, records.length, records.length]);
    for (const [out, key, stamped] of [[byG, 'g', false], [byV, 'v', true], [byX, 'x', false]] as const) {
      const got = (await readTopic(kafka, out)).map((r) => ({ key: r.key, value: r.value, timestampMs: stamped ? r.timestampMs : undefined }));
      const want = messagesFromRecords(records, key, stamped ? 'ts' : undefined);
      const expected = want.values.map((value, i) => ({ key: want.keys[i]!, value, timestampMs: want.timestampsMs?.[i] }));
      assert.deepEqual(sorted(got), sorted(expected), `sink keyed by ${key}`);
    }
    // the awkward values made it through as the records path writes them
    const big = records.find((r) => typeof r.v === 'string');
    assert.ok(big && /^90071992547\d{5}$/.test(big.v as string), 'a BIGINT beyond 2^53 as its digits');
    assert.deepEqual(new Set(records.map((r) => r.g)), new Set(GROUPS));
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [byG, byV, byX] });
    await admin.disconnect();
    await fast.close();
    await slow.close();
  });
});
