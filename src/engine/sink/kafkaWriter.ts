/**
 * The Kafka sink: an idempotent producer (acks from all in-sync replicas, one request in flight), so a
 * retried send never writes a message twice. Window rows are keyed by their stable changelog key, so
 * a compacted topic — or a reader keeping the last value per key — holds one row per window and group,
 * and a re-run writes the same keys with the same values.
 *
 * Through a broker outage a send is tried again, the messages not yet acknowledged with the same
 * partitions and sequence numbers (kafka/producer.ts), so the broker drops a copy it had already
 * written; the BrokerWatch sets the waits and gives up after the run's broker timeout.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { SinkError } from '../../errors.js';
import { withAdmin } from '../../kafka/admin.js';
import { toKafkaError } from '../../kafka/errors.js';
import { openProducer, unsentOf, type MessageProducer, type OutMessage, type ProducerRetry } from '../../kafka/producer.js';
import type { BrokerWatch } from '../../kafka/watch.js';
import { messages } from '../../messages.js';
import type { MessageColumns, SinkRow, SinkStats, SinkWriter } from './types.js';

/**
 * Bytes per send: under the broker's default message.max.bytes (1 MiB) for any split by partition,
 * and small enough that kafkajs's grouping by partition (which copies the partition's list for each
 * message: quadratic in a send's messages) stays cheap for a client that falls back to kafkajs.
 * Measured on Nexmark q0 and its copy (bench/notes/stream-profile.md).
 */
export const MAX_SEND_BYTES = 256 * 1024;

/** How errors name the sink's brokers: its client may be another cluster than the source's. */
export const SINK_CLUSTER = "the sink's Kafka cluster";

/** The producer's own retries before a send fails and the watch decides: a few seconds, so an outage shows soon. */
const PRODUCER_RETRY: ProducerRetry = { retries: 5, delayMs: 200 };

export async function openKafkaWriter(kafka: Kafka, topic: string, eventTime: boolean, watch?: BrokerWatch): Promise<SinkWriter> {
  const at = { brokers: SINK_CLUSTER, topic };
  await withAdmin(kafka, at, async (admin) => {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) throw new SinkError('sink-topic-missing', messages.sinkTopicNotFound(topic), { context: { topic } });
  });
  const producer = await openProducer(kafka, watch ? PRODUCER_RETRY : undefined).catch((e: unknown) => {
    throw toKafkaError(e, at);
  });
  return new KafkaWriter(producer, topic, eventTime, watch);
}

class KafkaWriter implements SinkWriter {
  readonly stats = { rows: 0, deleted: 0, messages: 0, files: 0 } satisfies SinkStats;

  constructor(
    private readonly producer: MessageProducer,
    private readonly topic: string,
    private readonly eventTime: boolean,
    private readonly watch: BrokerWatch | undefined,
  ) {}

  /** One send, tried again through an outage until the watch gives up (then its error, broker-lost). */
  private async send(messages: readonly OutMessage[]): Promise<void> {
    let rest = messages;
    for (;;) {
      try {
        await this.producer.send(this.topic, rest);
        this.watch?.answered();
        return;
      } catch (e) {
        rest = unsentOf(e) ?? rest;
        const waitMs = this.watch?.failed(e);
        const health = this.watch?.health;
        if (health?.state === 'lost') throw health.error;
        if (waitMs === undefined) throw e;
        await delay(waitMs);
      }
    }
  }

  write(rows: readonly SinkRow[]): Promise<void> {
    return this.writeMessages({
      length: rows.length,
      keys: rows.map((r) => r.key),
      values: rows.map((r) => r.value),
      timestampsMs: this.eventTime ? rows.map((r) => r.timestampMs) : undefined,
    });
  }

  /** The messages in sends of at most MAX_SEND_BYTES, one after the other. */
  async writeMessages(batch: MessageColumns): Promise<void> {
    const { keys, values, timestampsMs } = batch;
    let messages: OutMessage[] = [];
    let bytes = 0;
    const send = async (): Promise<void> => {
      if (messages.length === 0) return;
      await this.send(messages);
      this.stats.messages += messages.length;
      messages = [];
      bytes = 0;
    };
    for (let i = 0; i < batch.length; i++) {
      const key = keys[i] ?? null;
      const value = values[i] ?? null;
      const size = (value?.length ?? 0) + (key?.length ?? 0) + 64;
      if (bytes + size > MAX_SEND_BYTES) await send();
      const ms = timestampsMs?.[i];
      messages.push(ms === undefined ? { key, value } : { key, value, timestampMs: ms });
      bytes += size;
      if (value === null) this.stats.deleted++;
      else this.stats.rows++;
    }
    await send();
  }

  async close(): Promise<void> {
    this.watch?.close();
    await this.producer.close();
  }

  async abort(): Promise<void> {
    this.watch?.close();
    await this.producer.close().catch(() => undefined);
  }
}
