/**
 * Reads a topic from exact per-partition offsets with kafkajs. kafkajs has no manual assignment, so
 * the reader joins a throwaway consumer group (never committing) and seeks every partition to its
 * position after each group join. It tracks the next offset per partition itself and drops records
 * below it, so a rejoin or a broker restart can neither skip nor repeat a record.
 */
import { randomBytes } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { toKafkaError } from './errors.js';

export interface TopicRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: string | null;
  readonly headers: string | null;
  readonly value: string | null;
}

/** Called with the records of one partition, in offset order; the next batch waits for it. */
export type RecordHandler = (partition: number, records: readonly TopicRecord[]) => Promise<void>;

function headersJson(m: KafkaMessage): string | null {
  const h = m.headers;
  if (!h || Object.keys(h).length === 0) return null;
  const out: Record<string, string | string[] | null> = {};
  for (const [k, v] of Object.entries(h)) {
    out[k] = v === undefined ? null : Array.isArray(v) ? v.map((x) => x.toString()) : v.toString();
  }
  return JSON.stringify(out);
}

export class ExactReader {
  private consumer: Consumer | undefined;
  private readonly next: Map<number, number>;
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
    start: ReadonlyMap<number, number>,
    private readonly handler: RecordHandler,
  ) {
    this.next = new Map(start);
  }

  /** The next offset to read per partition. */
  positions(): ReadonlyMap<number, number> {
    return this.next;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `windowpane-${randomBytes(6).toString('hex')}`, allowAutoTopicCreation: false, retry: { retries: 30 } });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => this.seekAll());
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (e) {
      throw toKafkaError(e, { topic: this.topic });
    }
    this.seekAll();
  }

  private seekAll(): void {
    if (!this.consumer || this.stopped) return;
    for (const [partition, offset] of this.next) {
      try {
        this.consumer.seek({ topic: this.topic, partition, offset: String(offset) });
      } catch {
        // not running yet: start() seeks again once run() has returned
      }
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const p = batch.partition;
    const from = this.next.get(p) ?? 0;
    const records: TopicRecord[] = [];
    for (const m of batch.messages) {
      const offset = Number(m.offset);
      if (offset < from) continue;
      records.push({
        partition: p,
        offset,
        timestampMs: Number(m.timestamp),
        key: m.key === null ? null : m.key.toString(),
        headers: headersJson(m),
        value: m.value === null ? null : m.value.toString(),
      });
    }
    if (records.length === 0 || !payload.isRunning() || payload.isStale() || this.stopped) return;
    await this.handler(p, records);
    this.next.set(p, records[records.length - 1]!.offset + 1);
    payload.resolveOffset(batch.lastOffset());
    await payload.heartbeat();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.consumer;
    this.consumer = undefined;
    if (c) await c.disconnect();
  }
}
