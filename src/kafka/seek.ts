/** Kafka facts by time and about the cluster: offsets for a record time, the brokers' addresses. */
import type { Kafka } from 'kafkajs';

/**
 * partition → the earliest offset whose record timestamp is at or after `timestampMs` (the end
 * offset where there is none), never below the partition's first retained offset.
 */
export async function offsetsForTime(kafka: Kafka, topic: string, timestampMs: number): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const found = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
    return new Map(found.map((o) => [o.partition, Number(o.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** The cluster id and the brokers' host:port (addresses only: never credentials). */
export async function describeBrokers(kafka: Kafka): Promise<{ clusterId: string; brokers: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const c = await admin.describeCluster();
    return { clusterId: c.clusterId, brokers: c.brokers.map((b) => `${b.host}:${b.port}`).sort() };
  } finally {
    await admin.disconnect();
  }
}
