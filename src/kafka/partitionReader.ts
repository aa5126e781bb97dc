/**
 * Reads a topic from exact per-partition offsets by fetching the assigned partitions directly from
 * their leaders: no consumer group, no seek. Each partition has its own fetch loop; the reader keeps
 * the next offset per partition itself, so a lost connection, a broker restart or a leader change
 * resumes exactly where it was, with no record skipped or repeated.
 *
 * `recover` is the one place where a lost connection is seen: the loop backs off, looks the leaders
 * up again and retries, until the broker answers or `reconnectTimeoutMs` has passed since it stopped
 * answering; then the reader fails with a KafkaError (`onFailure`).
 *
 * The handler runs behind the fetch: while the partition holds at least another batch's worth of
 * records (a backlog) the next fetch goes out while a batch is processed, with at most MAX_IN_FLIGHT
 * batches handed over and not yet done; near the partition's end (live) a batch is processed before
 * the next fetch, so that records arriving meanwhile make one larger batch. Batches of a partition
 * reach the handler in offset order.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Broker } from '@platformatic/kafka';
import { KafkaError } from '../errors.js';
import { messages } from '../messages.js';
import type { RecordBatch } from './batch.js';
import { toKafkaError } from './errors.js';
import type { FetchClient } from './fetchClient.js';
import { decodeRecords } from './recordDecoder.js';
import type { ReaderOptions, RecordHandler, TopicReader } from './readerTypes.js';

const MAX_IN_FLIGHT = 4;
const FETCH_AHEAD_MIN = 1000;
/** How long a fetch at the partition's end waits for new records (it returns at once when some arrive). */
const LONG_POLL_MS = 500;
const BACKOFF_MS = [100, 200, 500, 1000, 2000];
/** Kafka error codes that mean the leader moved or is being elected: look it up again. */
const STALE_LEADER = new Set([3, 5, 6, 74, 75]);
const OFFSET_OUT_OF_RANGE = 1;

export class PartitionReader implements TopicReader {
  private readonly next: Map<number, number>;
  private leaders = new Map<number, Broker>();
  private refreshing: Promise<void> | undefined;
  private stopped = false;
  private loops: Promise<void>[] = [];
  /** When the broker stopped answering (undefined while it answers). */
  private lostSince: number | undefined;
  private failures = 0;

  constructor(
    private readonly client: FetchClient,
    readonly topic: string,
    start: ReadonlyMap<number, number>,
    private readonly handler: RecordHandler,
    private readonly options: ReaderOptions = {},
  ) {
    this.next = new Map(start);
  }

  positions(): ReadonlyMap<number, number> {
    return this.next;
  }

  async start(): Promise<void> {
    try {
      await this.refresh();
    } catch (e) {
      throw toKafkaError(e, { topic: this.topic });
    }
    this.loops = [...this.next.keys()].map((p) => this.loop(p));
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.client
      .layout(this.topic)
      .then((l) => void (this.leaders = new Map(l.leaders)))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async loop(partition: number): Promise<void> {
    const inFlight: Promise<void>[] = [];
    while (!this.stopped) {
      const offset = this.next.get(partition)!;
      let batch: RecordBatch | undefined;
      let waiting = 0;
      try {
        const leader = this.leaders.get(partition);
        if (!leader) {
          await this.refresh();
          if (!this.leaders.has(partition)) await delay(BACKOFF_MS[0]);
          continue;
        }
        const [got] = await this.client.fetch(leader, this.topic, [{ partition, offset }], LONG_POLL_MS);
        if (this.stopped) break;
        if (got && got.errorCode !== 0) {
          await this.partitionError(partition, got.errorCode, offset);
          continue;
        }
        this.answered();
        if (got?.data) batch = decodeRecords(partition, got.data, offset, got.aborted);
        waiting = (got?.highWatermark ?? 0) - (batch?.next ?? offset);
      } catch (e) {
        if (this.stopped) break;
        if (!(await this.recover(e, partition))) return;
        continue;
      }
      if (!batch || batch.next <= offset) continue;
      // the next offset moves past the batch at once: a retry after a failure fetches after it
      this.next.set(partition, batch.next);
      const done = this.handler(partition, batch);
      inFlight.push(done);
      const settle = (): void => void inFlight.splice(inFlight.indexOf(done), 1);
      done.then(settle, settle);
      if (waiting < Math.max(FETCH_AHEAD_MIN, batch.length)) await Promise.all(inFlight);
      while (inFlight.length >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.allSettled(inFlight);
  }

  private async partitionError(partition: number, code: number, offset: number): Promise<void> {
    if (STALE_LEADER.has(code)) {
      await delay(BACKOFF_MS[0]);
      await this.refresh();
      return;
    }
    const why = code === OFFSET_OUT_OF_RANGE ? messages.offsetOutOfRange(this.topic, partition, offset) : `error code ${code} fetching ${this.topic}/${partition} at offset ${offset}`;
    this.fail(new KafkaError(code === OFFSET_OUT_OF_RANGE ? 'kafka-failed' : 'broker-refused', why, { context: { topic: this.topic, partition, offset } }));
    this.stopped = true;
  }

  private answered(): void {
    if (this.lostSince !== undefined) this.options.onReconnect?.(Date.now() - this.lostSince);
    this.lostSince = undefined;
    this.failures = 0;
  }

  /**
   * A fetch or a leader lookup failed: back off and let the loop retry while the failure is one a
   * retry can cure and the broker has not been gone longer than the timeout. Returns false when the
   * reader has given up (it has failed with a KafkaError).
   */
  private async recover(e: unknown, partition: number): Promise<boolean> {
    const err = toKafkaError(e, { topic: this.topic, partition });
    const now = Date.now();
    if (this.lostSince === undefined) {
      this.lostSince = now;
      this.options.onConnectionLost?.(err);
    }
    const timeoutMs = this.options.reconnectTimeoutMs ?? DEFAULT_RECONNECT_TIMEOUT_MS;
    const retriable = err instanceof KafkaError && err.retriable;
    if (!retriable || now - this.lostSince > timeoutMs) {
      this.fail(retriable ? new KafkaError('broker-unreachable', messages.brokerGone(this.topic, Math.round(timeoutMs / 1000), err instanceof Error ? err.message : String(err)), { cause: err, context: { topic: this.topic } }) : err);
      this.stopped = true;
      return false;
    }
    await delay(BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)]);
    this.leaders.clear();
    return true;
  }

  private fail(e: unknown): void {
    if (this.stopped) return;
    this.options.onFailure?.(e);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client.close().catch(() => undefined);
    await Promise.all(this.loops);
  }
}

/** How long a reader keeps trying to reach a broker that stopped answering before the query fails. */
export const DEFAULT_RECONNECT_TIMEOUT_MS = 120_000;
