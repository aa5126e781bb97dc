/**
 * Kafka for tests. The test runner (scripts/test.mjs, the global setup) starts the local broker once
 * per run and passes its address in WINDOWPANE_TEST_BROKERS; a test file run on its own falls back
 * to the configured cluster or the running local broker. Every test uses topics of its own.
 */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTopicAndWait } from '../../src/kafka/admin.js';
import { createKafka } from '../../src/kafka/client.js';
import { loadKafkaSettings, type KafkaSettings } from '../../src/config/settings.js';
import { resolveSettings } from '../../src/kafka/connect.js';

export function testKafkaSettings(): KafkaSettings {
  const env = process.env.WINDOWPANE_TEST_BROKERS;
  const settings = loadKafkaSettings();
  return { ...(env ? { ...settings, brokers: env.split(',') } : resolveSettings(settings)), clientId: 'windowpane-test' };
}

export function testKafka(): Kafka {
  return createKafka(testKafkaSettings());
}

/** A fresh topic name, unique per call: `<prefix>-<random>`. */
export function uniqueTopicName(prefix = 'test'): string {
  return `${prefix.replace(/[^a-zA-Z0-9._-]/g, '-')}-${randomBytes(5).toString('hex')}`;
}

/** Creates a new topic (3 partitions by default), waits for its leaders, returns its name. */
export async function createTopic(options: { prefix?: string; partitions?: number; kafka?: Kafka } = {}): Promise<string> {
  const kafka = options.kafka ?? testKafka();
  const topic = uniqueTopicName(options.prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicAndWait(admin, { topic, partitions: options.partitions ?? 3 });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** Runs `fn` with a new topic, deleting the topic afterwards. */
export async function withTopic<T>(options: { prefix?: string; partitions?: number }, fn: (topic: string, kafka: Kafka) => Promise<T>): Promise<T> {
  const kafka = testKafka();
  const topic = await createTopic({ ...options, kafka });
  try {
    return await fn(topic, kafka);
  } finally {
    await deleteTopic(kafka, topic);
  }
}

/** Deletes a test's topic; one already gone is fine. */
export async function deleteTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}
