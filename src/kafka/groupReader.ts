/**
 * The fallback reader for a kafkajs client made outside this package (its brokers and security
 * settings unknown): reads a topic from exact per-partition offsets with kafkajs. kafkajs has no
 * manual assignment, so the reader joins a throwaway consumer group (never committing) and seeks
 * every partition to its position after each group join. It tracks the next offset per partition itself and drops records
 * below it, so a rejoin or a broker restart can neither skip nor repeat a record.
 *
 * The handler runs behind the fetch: a batch is handed over (the next offset moves past it at once)
 * and, while the partition holds at least another batch's worth of records (a backlog), kafkajs
 * fetches the next while it is processed, with at most MAX_IN_FLIGHT batches handed over and not yet
 * done; near the partition's end (live) a batch is processed before the next fetch, as before. The
 * handler is called in delivery order and must take its batches in that order (the driver queues them).
 *
 * A broker outage: the consumer gives up after a few quick retries and the reader opens a new one,
 * in a new throwaway group (a new group joins at once, where rejoining the old one would wait for
 * its dead member's session to expire), seeking to `next` again. The BrokerWatch hears of every
 * failure and answer, sets the wait between attempts and says when to give up.
 */
import { randomBytes } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { batchOf } from './batch.js';
import { toKafkaError } from './errors.js';
import { ReaderBase } from './readerBase.js';

function headersJson(m: KafkaMessage): string | null {
  const h = m.headers;
  if (!h || Object.keys(h).length === 0) return null;
  const out: Record<string, string | string[] | null> = {};
  for (const [k, v] of Object.entries(h)) {
    out[k] = v === undefined ? null : Array.isArray(v) ? v.map((x) => x.toString()) : v.toString();
  }
  return JSON.stringify(out);
}

/** Batches handed to the handler and not yet done, at most: the fetch runs ahead by this much. */
const MAX_IN_FLIGHT = 4;
/** The fetch runs ahead only while at least this many records (and a batch's worth) wait in the partition. */
const FETCH_AHEAD_MIN = 1000;
/**
 * The consumer's own retries before it gives up and the reader opens a new one: a few seconds, so an
 * outage shows soon; kafkajs's restart is off, the reader restarts in a new group itself.
 */
const CONSUMER_RETRY = { retries: 6, initialRetryTime: 200, maxRetryTime: 1000, restartOnFailure: () => Promise.resolve(false) };

export class GroupReader extends ReaderBase<Kafka> {
  private consumer: Consumer | undefined;
  private inFlight: Promise<void>[] = [];
  private stopped = false;
  private reopen: NodeJS.Timeout | undefined;

  /** Opens the first consumer; a failure here rejects (later ones go to the watch). */
  async start(): Promise<void> {
    try {
      await this.begin(this.open());
    } catch (e) {
      throw toKafkaError(e, { topic: this.topic });
    }
  }

  /** A consumer in a new throwaway group, reporting to the watch. */
  private open(): Consumer {
    const consumer = this.client.consumer({ groupId: `windowpane-${randomBytes(6).toString('hex')}`, allowAutoTopicCreation: false, retry: CONSUMER_RETRY });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.watch.answered();
      this.seekAll();
    });
    consumer.on(consumer.events.FETCH, () => this.watch.answered());
    consumer.on(consumer.events.CRASH, (e) => this.crashed(consumer, e.payload.error));
    return consumer;
  }

  private async begin(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.seekAll();
  }

  /** A consumer gave up: a new one after the watch's wait, unless the watch gives up too (it reports why). */
  private crashed(consumer: Consumer, error: unknown): void {
    if (this.stopped || consumer !== this.consumer) return;
    this.consumer = undefined;
    void consumer.disconnect().catch(() => undefined);
    const waitMs = this.watch.failed(error);
    if (waitMs === undefined) return;
    this.reopen = setTimeout(() => {
      this.reopen = undefined;
      if (this.stopped) return;
      const next = this.open();
      this.begin(next).catch((e: unknown) => this.crashed(next, e));
    }, waitMs);
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
    const records: { offset: number; timestampMs: number; key: Buffer | null; value: Buffer | null; headers: string | null }[] = [];
    for (const m of batch.messages) {
      const offset = Number(m.offset);
      if (offset < from) continue;
      records.push({ offset, timestampMs: Number(m.timestamp), key: m.key, value: m.value, headers: headersJson(m) });
    }
    if (records.length === 0 || !payload.isRunning() || payload.isStale() || this.stopped) return;
    // a rejoin seeks to `next`: the records handed over are never delivered again
    this.next.set(p, records[records.length - 1]!.offset + 1);
    const done = this.handler(p, batchOf(p, records), Number(batch.highWatermark));
    this.inFlight.push(done);
    const settle = (): void => void (this.inFlight = this.inFlight.filter((d) => d !== done));
    done.then(settle, settle);
    payload.resolveOffset(batch.lastOffset());
    // near the partition's end, finish this batch first: the next fetch would wait for new records
    // (and hold up a stop), and live records that arrive meanwhile make one larger batch, not many small ones
    const waiting = Number(batch.highWatermark) - (Number(batch.lastOffset()) + 1);
    if (waiting < Math.max(FETCH_AHEAD_MIN, records.length)) await Promise.all(this.inFlight);
    while (this.inFlight.length >= MAX_IN_FLIGHT) await Promise.race(this.inFlight);
    await payload.heartbeat();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reopen);
    this.watch.close();
    const c = this.consumer;
    this.consumer = undefined;
    if (c) await c.disconnect();
    await Promise.all(this.inFlight);
  }
}
