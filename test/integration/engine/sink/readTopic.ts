/** Reads a topic from its earliest to its end offsets (at the call), with the engine's exact reader. */
import type { Kafka } from 'kafkajs';
import { toRecords } from '../../../../src/kafka/batch.js';
import { openReader, type TopicRecord } from '../../../../src/kafka/reader.js';

export async function readTopic(kafka: Kafka, topic: string): Promise<TopicRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const low = new Map(offsets.map((o) => [o.partition, Number(o.low)]));
  const high = new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  const got: TopicRecord[] = [];
  const next = new Map(low);
  const complete = (): boolean => [...high].every(([p, h]) => (next.get(p) ?? 0) >= h);
  if (complete()) return got;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const reader = openReader(kafka, topic, low, (p, batch) => {
    for (const r of toRecords(batch)) if (r.offset < (high.get(p) ?? 0)) got.push(r);
    next.set(p, batch.next);
    if (complete()) done();
    return Promise.resolve();
  });
  await reader.start();
  await finished;
  await reader.stop();
  return got.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** The last value per key, as a compacted topic would keep it (null values delete the key). */
export function lastPerKey(records: readonly TopicRecord[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of records) {
    if (r.key === null) continue;
    if (r.value === null) out.delete(r.key);
    else out.set(r.key, r.value);
  }
  return out;
}
