/**
 * What every case gets: the broker (private to the run unless --brokers is given), a kafkajs
 * client for it, a scratch folder, the scale, and topic helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { createKafka } from '../../src/kafka/client.js';
import { startBroker, stopBroker } from '../../src/local-kafka/broker.js';
import { kafkaPaths } from '../../src/local-kafka/paths.js';
import { freePort } from '../../src/local-kafka/ports.js';
import type { Scale } from './scale.js';
import { createTopicAndWait } from '../../src/kafka/admin.js';

export interface Context {
  readonly brokers: string;
  readonly kafka: Kafka;
  readonly dir: string;
  readonly scale: Scale;
  readonly log: (line: string) => void;
  createTopic(prefix: string, partitions: number): Promise<string>;
  deleteTopic(topic: string): Promise<void>;
  close(): Promise<void>;
}

let topicCount = 0;

/** One consumer group join, so the broker's group coordinator is loaded before anything is timed. */
async function warmUp(kafka: Kafka, admin: Admin): Promise<void> {
  const topic = `bench-warmup-${process.pid}`;
  await createTopicAndWait(admin, { topic, partitions: 1 });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'warm-up' }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `bench-warmup-${process.pid}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer.run({ eachMessage: () => Promise.resolve(resolve()) }).catch(reject);
  });
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
}

export async function openContext(scale: Scale, brokersArg: string | undefined): Promise<Context> {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-bench-suite-'));
  const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
  let brokers = brokersArg;
  let stop: (() => Promise<void>) | undefined;
  if (!brokers) {
    // a private broker, so the load here never disturbs anyone else's tests
    const paths = kafkaPaths(join(dir, 'kafka'));
    process.env.WINDOWPANE_KAFKA_HEAP ??= '1g';
    const started = await startBroker({ paths, port: await freePort(), log });
    brokers = started.bootstrap;
    stop = async () => void (await stopBroker({ paths }));
    log(`private Kafka broker on ${brokers} (${Math.round(started.startMs)} ms)`);
  }
  const kafka = createKafka({ brokers: [brokers], clientId: 'windowpane-bench' });
  const admin = kafka.admin();
  await admin.connect();
  await warmUp(kafka, admin);
  return {
    brokers, kafka, dir, scale, log,
    async createTopic(prefix, partitions) {
      const topic = `bench-${prefix}-${process.pid}-${++topicCount}`;
      await createTopicAndWait(admin, { topic, partitions: partitions });
      return topic;
    },
    async deleteTopic(topic) {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    },
    async close() {
      await admin.disconnect();
      if (stop) await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
