/**
 * The write path's Kafka client: an idempotent producer (acks from all in-sync replicas, one request
 * in flight), so a send tried again never writes a message twice. For a client made here
 * (createKafka, kafkaClient) it is @platformatic/kafka's producer, which costs a third of kafkajs's
 * CPU per message (bench/notes/stream-profile.md); for a kafkajs client made elsewhere, whose
 * settings are unknown, kafkajs's own.
 *
 * Either way a failed send can be tried again with the same messages: neither client moves its
 * sequence numbers past a partition's messages until the broker has acknowledged them, so the broker
 * drops a copy it had already written. @platformatic/kafka's failures also carry what is still to
 * send (`unsentOf`): the messages of the partitions not acknowledged (a send to several brokers may
 * reach some), each fixed to the partition it went to, also without a key. kafkajs's say nothing:
 * everything goes again, and a message without a key may then go to another partition.
 *
 * Messages are partitioned as the Java client and kafkajs do: a keyed message by murmur2 of its key,
 * the others round robin, so a keyed topic's layout does not depend on the client that wrote it.
 */
import { murmur2, Producer as PlatformaticProducer, ProduceAcks, type MessageToProduce } from '@platformatic/kafka';
import type { Kafka, Message } from 'kafkajs';
import { clientSettings } from './client.js';
import { connectionOptions } from './fetchClient.js';

export interface OutMessage {
  readonly key: string | null;
  readonly value: string | null;
  /** The record's timestamp; the broker's time of the send when absent. */
  readonly timestampMs?: number;
  /**
   * Where the message goes, before the modulo of the topic's partition count: set on the messages
   * of `unsentOf`, so that a message tried again goes where it went (and the broker can recognise
   * it), also without a key.
   */
  readonly partition?: number;
}

export interface MessageProducer {
  /**
   * Sends the messages to `topic` and resolves once every in-sync replica has them. A failure may
   * carry what is still to send (`unsentOf`).
   */
  send(topic: string, messages: readonly OutMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** How often the client itself tries a failed request again before the send fails. */
export interface ProducerRetry {
  readonly retries: number;
  readonly delayMs: number;
}

/** The messages a failed send did not deliver, to be sent again as they are; undefined: send all again. */
export function unsentOf(error: unknown): readonly OutMessage[] | undefined {
  return (error as { unsent?: readonly OutMessage[] } | undefined)?.unsent;
}

const MURMUR2_POSITIVE = 0x7fffffff;

/**
 * Without a say from the caller: a few attempts, then the send fails (left to itself,
 * @platformatic/kafka's idempotent producer tries for ever and an outage would never be told).
 */
const DEFAULT_RETRY: ProducerRetry = { retries: 5, delayMs: 300 };

export async function openProducer(kafka: Kafka, retry: ProducerRetry = DEFAULT_RETRY): Promise<MessageProducer> {
  const known = clientSettings(kafka);
  if (!known) return openKafkajsProducer(kafka, retry);
  const producer = new PlatformaticProducer({
    clientId: known.settings.clientId,
    bootstrapBrokers: [...known.brokers],
    ...connectionOptions(known.settings),
    idempotent: true,
    acks: ProduceAcks.ALL,
    maxInflights: 1,
    autocreateTopics: false,
    // at most one retry would mean "for ever" to the client
    retries: Math.max(2, retry.retries),
    retryDelay: retry.delayMs,
  });
  // the producer id now, while the caller knows the broker answers: a failure here is the open's
  try {
    await producer.initIdempotentProducer({});
  } catch (e) {
    await producer.close().catch(() => undefined);
    throw e;
  }
  return new FastProducer(producer);
}

class FastProducer implements MessageProducer {
  /** Round robin for messages without a key, per topic. */
  private readonly next = new Map<string, number>();
  /** The send before this one: sends go one at a time (see `send`). */
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly producer: PlatformaticProducer<Buffer, Buffer, Buffer, Buffer>) {}

  /**
   * One send at a time, in the order they were asked for: the client numbers a send's messages
   * from the sequence its partitions had when the send began, so two sends at once would number
   * theirs alike and the broker would refuse the second (OUT_OF_ORDER_SEQUENCE_NUMBER).
   */
  send(topic: string, messages: readonly OutMessage[]): Promise<void> {
    const turn = this.last.then(() => this.sendNow(topic, messages));
    this.last = turn.catch(() => undefined);
    return turn;
  }

  private async sendNow(topic: string, messages: readonly OutMessage[]): Promise<void> {
    let counter = this.next.get(topic) ?? Math.floor(Math.random() * MURMUR2_POSITIVE);
    const partitions = new Array<number>(messages.length);
    const out = messages.map((m, i): MessageToProduce => {
      const key = m.key === null ? undefined : Buffer.from(m.key);
      const partition = m.partition ?? (key === undefined ? counter++ & MURMUR2_POSITIVE : murmur2(key) & MURMUR2_POSITIVE);
      partitions[i] = partition;
      return {
        topic,
        partition,
        ...(key === undefined ? {} : { key }),
        ...(m.value === null ? {} : { value: Buffer.from(m.value) }),
        ...(m.timestampMs === undefined ? {} : { timestamp: BigInt(Math.floor(m.timestampMs)) }),
      };
    });
    this.next.set(topic, counter);
    try {
      await this.producer.send({ messages: out });
    } catch (e) {
      // a send to several leaders may have reached some: the partitions they acknowledged are done;
      // the rest go again where they went
      const offsets = (e as { produced?: { offsets?: readonly { partition: number }[] } }).produced?.offsets ?? [];
      const written = new Set(offsets.map((o) => o.partition));
      const count = this.producer.currentMetadata?.topics.get(topic)?.partitionsCount;
      const acknowledged = (i: number): boolean => written.size > 0 && count !== undefined && written.has(partitions[i]! % count);
      const unsent = messages.flatMap((m, i) => (acknowledged(i) ? [] : [{ ...m, partition: partitions[i]! }]));
      throw Object.assign(e as Error, { unsent });
    }
  }

  async close(): Promise<void> {
    await this.last;
    await this.producer.close();
  }
}

/** kafkajs's idempotent producer behind the same interface: a client made elsewhere, and the baseline of the benchmarks. */
export async function openKafkajsProducer(kafka: Kafka, retry: ProducerRetry = DEFAULT_RETRY): Promise<MessageProducer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: retry.retries, initialRetryTime: retry.delayMs, maxRetryTime: 1000 },
  });
  await producer.connect();
  return {
    async send(topic, messages) {
      const out: Message[] = messages.map((m) => (m.timestampMs === undefined ? { key: m.key, value: m.value } : { key: m.key, value: m.value, timestamp: String(Math.floor(m.timestampMs)) }));
      await producer.send({ topic, acks: -1, messages: out });
    },
    close: () => producer.disconnect(),
  };
}
