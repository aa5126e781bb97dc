/** Kafka facts by time and about the cluster: offsets for a record time, the brokers' addresses. */
import type { Kafka } from 'kafkajs';
import { withAdmin } from './admin.js';

/**
 * partition → the earliest offset whose record timestamp is at or after `timestampMs` (the end
 * offset where there is none), never below the partition's first retained offset.
 */
export function offsetsForTime(kafka: Kafka, topic: string, timestampMs: number, brokers?: string): Promise<Map<number, number>> {
  return withAdmin(kafka, { brokers, topic }, async (admin) => {
    const found = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
    return new Map(found.map((o) => [o.partition, Number(o.offset)]));
  });
}

/** The cluster id and the brokers' host:port (addresses only: never credentials). */
export function describeBrokers(kafka: Kafka, brokers?: string): Promise<{ clusterId: string; brokers: string[] }> {
  return withAdmin(kafka, { brokers }, async (admin) => {
    const c = await admin.describeCluster();
    return { clusterId: c.clusterId, brokers: c.brokers.map((b) => `${b.host}:${b.port}`).sort() };
  });
}
