/**
 * The Kafka sink: an idempotent producer (acks from all in-sync replicas, one request in flight), so a
 * retried send never writes a message twice. Window rows are keyed by their stable changelog key, so
 * a compacted topic — or a reader keeping the last value per key — holds one row per window and group,
 * and a re-run writes the same keys with the same values.
 */
import type { Kafka, Message, Producer } from 'kafkajs';
import { SinkError } from '../../errors.js';
import { withAdmin } from '../../kafka/admin.js';
import { toKafkaError } from '../../kafka/errors.js';
import { messages } from '../../messages.js';
import type { SinkRow, SinkStats, SinkWriter } from './types.js';

/** Bytes per send: under the broker's default message.max.bytes (1 MiB) for any split by partition. */
const MAX_SEND_BYTES = 768 * 1024;

/** How errors name the sink's brokers: its client may be another cluster than the source's. */
export const SINK_CLUSTER = "the sink's Kafka cluster";

export async function openKafkaWriter(kafka: Kafka, topic: string, eventTime: boolean): Promise<SinkWriter> {
  const at = { brokers: SINK_CLUSTER, topic };
  await withAdmin(kafka, at, async (admin) => {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) throw new SinkError('sink-topic-missing', messages.sinkTopicNotFound(topic), { context: { topic } });
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect().catch((e: unknown) => {
    throw toKafkaError(e, at);
  });
  return new KafkaWriter(producer, topic, eventTime);
}

class KafkaWriter implements SinkWriter {
  readonly stats = { rows: 0, deleted: 0, messages: 0, files: 0 } satisfies SinkStats;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly eventTime: boolean,
  ) {}

  async write(rows: readonly SinkRow[]): Promise<void> {
    let batch: Message[] = [];
    let bytes = 0;
    const send = async (): Promise<void> => {
      if (batch.length === 0) return;
      await this.producer.send({ topic: this.topic, acks: -1, messages: batch });
      this.stats.messages += batch.length;
      batch = [];
      bytes = 0;
    };
    for (const r of rows) {
      const size = (r.value?.length ?? 0) + (r.key?.length ?? 0) + 64;
      if (bytes + size > MAX_SEND_BYTES) await send();
      batch.push({ key: r.key, value: r.value, ...(this.eventTime && r.timestampMs !== undefined ? { timestamp: String(Math.floor(r.timestampMs)) } : {}) });
      bytes += size;
      if (r.op === 'delete') this.stats.deleted++;
      else this.stats.rows++;
    }
    await send();
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }

  async abort(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
