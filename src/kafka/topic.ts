/** Topic facts the engine needs before reading: existence, partitions, low and high offsets. */
import type { Kafka } from 'kafkajs';
import { SourceError } from '../errors.js';
import { messages } from '../messages.js';
import type { RetryOptions } from '../util/retry.js';
import { BROKER_RETRY, withAdmin } from './admin.js';
import { kafkaClient } from './connect.js';

export interface TopicOffsets {
  /** partition → first available offset. */
  readonly low: ReadonlyMap<number, number>;
  /** partition → end offset (the offset the next record will get). */
  readonly high: ReadonlyMap<number, number>;
}

/** Reads a topic's offsets; a missing topic or an unreachable broker becomes a clear error. */
export function fetchTopicOffsets(kafka: Kafka, topic: string, sourceName: string, brokers: string, options: RetryOptions = BROKER_RETRY): Promise<TopicOffsets> {
  return withAdmin(
    kafka,
    { brokers, topic },
    async (admin) => {
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) throw new SourceError('topic-missing', messages.liveTopicMissing(topic, sourceName), { context: { topic, source: sourceName } });
      const offsets = await admin.fetchTopicOffsets(topic);
      return {
        low: new Map(offsets.map((o) => [o.partition, Number(o.low)])),
        high: new Map(offsets.map((o) => [o.partition, Number(o.high)])),
      };
    },
    options,
  );
}

/**
 * The end offset of each partition of a topic now (partition → the offset its next record gets):
 * what `query.processedUpTo(...)` waits for, to see a query catch up with what the topic holds.
 */
export function topicEnds(topic: string, kafka: Kafka = kafkaClient()): Promise<Record<number, number>> {
  return withAdmin(kafka, { topic }, async (admin) => {
    if (!(await admin.listTopics()).includes(topic)) throw new SourceError('topic-missing', messages.topicNotFound(topic), { context: { topic } });
    return Object.fromEntries((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  });
}
