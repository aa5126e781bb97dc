/**
 * One-shot admin calls (look up a topic, its offsets, the cluster) retried as a whole with back-off
 * when they fail transiently. kafkajs's own request retries are turned off for these admin clients
 * so that one policy, ours, decides; its connect retries (about 8 s on a dead broker, set on the
 * client) still run, and the budget below keeps a dead broker from costing more than that.
 */
import type { Admin, Kafka } from 'kafkajs';
import { KafkaError } from '../errors.js';
import { messages } from '../messages.js';
import { retry, type RetryOptions } from '../util/retry.js';
import { toKafkaError, type KafkaAt } from './errors.js';

/** Up to 5 retries, 0.2 s → 1.6 s apart, none started later than 4 s after the first attempt. */
export const BROKER_RETRY: RetryOptions = { retries: 5, initialMs: 200, factor: 2, maxMs: 1600, budgetMs: 4000 };

/** Runs `fn` with a connected admin client; Kafka failures come back as KafkaErrors, the transient ones after retries. */
export function withAdmin<T>(kafka: Kafka, at: KafkaAt, fn: (admin: Admin) => Promise<T>, options: RetryOptions = BROKER_RETRY): Promise<T> {
  return retry(async () => {
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      return await fn(admin);
    } catch (e) {
      throw toKafkaError(e, at);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }, options);
}

export interface NewTopic {
  readonly topic: string;
  readonly partitions: number;
  readonly configEntries?: readonly { readonly name: string; readonly value: string }[];
}

/** How long a new topic's partitions may take to get their leaders (a busy broker needs seconds). */
const LEADERS_WAIT_MS = 30_000;

/**
 * Creates a topic and waits until every partition has a leader. kafkajs's own wait
 * (`waitForLeaders`) gives up at the first UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker answers
 * for a moment after the creation while its metadata catches up (often, when the machine is busy):
 * here both that and LEADER_NOT_AVAILABLE mean "not yet". True when this call made the topic, false
 * when it existed already.
 */
export async function createTopicAndWait(admin: Admin, t: NewTopic): Promise<boolean> {
  const created = await admin.createTopics({ waitForLeaders: false, topics: [{ topic: t.topic, numPartitions: t.partitions, replicationFactor: 1, ...(t.configEntries ? { configEntries: [...t.configEntries] } : {}) }] });
  const deadline = Date.now() + LEADERS_WAIT_MS;
  for (;;) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [t.topic] });
      const partitions = meta.topics[0]?.partitions ?? [];
      if (partitions.length === t.partitions && partitions.every((p) => p.leader >= 0)) return created;
    } catch (e) {
      const type = (e as { type?: unknown }).type;
      if ((type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') || Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new KafkaError('topic-leaders', messages.topicLeadersTimeout(t.topic, LEADERS_WAIT_MS), { context: { topic: t.topic } });
    await new Promise((r) => setTimeout(r, 100));
  }
}
