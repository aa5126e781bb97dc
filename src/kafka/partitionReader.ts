/**
 * Reads a topic from exact per-partition offsets by fetching the assigned partitions directly from
 * their leaders: no consumer group, no seek. One fetch loop per leader asks for all the partitions
 * it leads in one request (a broker answers one connection's requests in turn, so a request per
 * partition would wait behind another's long poll); the reader keeps the next offset per partition
 * itself, so a lost connection, a broker restart or a leader change resumes exactly where it was,
 * with no record skipped or repeated.
 *
 * `recover` is the one place where a lost connection is seen: it backs off and looks the leaders up
 * again until the broker answers, or `reconnectTimeoutMs` has passed since it stopped answering;
 * then the reader fails with a KafkaError (`onFailure`).
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
import { toKafkaError } from './errors.js';
import type { FetchClient } from './fetchClient.js';
import { decodeRecords } from './recordDecoder.js';
import { ReaderBase } from './readerBase.js';

const MAX_IN_FLIGHT = 4;
const FETCH_AHEAD_MIN = 1000;
/** How long a fetch at the partition's end waits for new records (it returns at once when some arrive). */
const LONG_POLL_MS = 500;
const BACKOFF_MS = [100, 200, 500, 1000, 2000];
/** Kafka error codes that mean the leader moved or is being elected: look it up again. */
const STALE_LEADER = new Set([3, 5, 6, 74, 75]);
const OFFSET_OUT_OF_RANGE = 1;

export class PartitionReader extends ReaderBase<FetchClient> {
  private leaders = new Map<number, Broker>();
  private refreshing: Promise<void> | undefined;
  private stopped = false;
  /** The running fetch loops, by leader address. */
  private readonly loops = new Map<string, Promise<void>>();
  /** When the broker stopped answering (undefined while it answers). */
  private lostSince: number | undefined;
  private failures = 0;
  private lookingAgain = false;
  /** Why the reader gave up, once it has. */
  private failure: Error | undefined;


  /** Looks the leaders up and starts reading; a failure a retry can cure is retried as recover() does. */
  async start(): Promise<void> {
    try {
      await this.refresh();
    } catch (e) {
      const err = toKafkaError(e, { topic: this.topic });
      if (!(err instanceof KafkaError && err.retriable)) throw err;
      if (!(await this.recover(err))) throw this.failure ?? err;
      return;
    }
    this.startLoops();
  }

  /** Looks the leaders up again; partitions without one are looked up again by recover(). */
  private refresh(): Promise<void> {
    this.refreshing ??= this.client
      .layout(this.topic)
      .then((l) => void (this.leaders = new Map(l.leaders)))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** A loop for each leader of a partition read here that has none yet; leaderless partitions are looked up again soon. */
  private startLoops(): void {
    let leaderless = false;
    for (const p of this.next.keys()) {
      const leader = this.leaders.get(p);
      if (this.stopped) return;
      if (!leader) {
        leaderless = true;
        continue;
      }
      const key = address(leader);
      if (!this.loops.has(key)) this.loops.set(key, this.loop(leader).finally(() => this.loops.delete(key)));
    }
    if (leaderless && !this.lookingAgain) {
      this.lookingAgain = true;
      void delay(BACKOFF_MS[2]).then(async () => {
        this.lookingAgain = false;
        if (this.stopped) return;
        try {
          await this.refresh();
          this.startLoops();
        } catch (e) {
          await this.recover(e);
        }
      });
    }
  }

  private async loop(leader: Broker): Promise<void> {
    const key = address(leader);
    const inFlight = new Map<number, Promise<void>[]>();
    while (!this.stopped) {
      const mine = [...this.next.keys()].filter((p) => this.leaders.has(p) && address(this.leaders.get(p)!) === key);
      // leadership moved: the new leaders' loops read these partitions
      if (mine.length === 0) break;
      let got;
      try {
        got = await this.client.fetch(leader, this.topic, mine.map((partition) => ({ partition, offset: this.next.get(partition)! })), LONG_POLL_MS);
      } catch (e) {
        if (this.stopped || !(await this.recover(e))) break;
        continue;
      }
      if (this.stopped) break;
      this.answered();
      const waitFor: Promise<void>[] = [];
      for (const part of got) {
        const p = part.partition;
        const offset = this.next.get(p);
        if (offset === undefined) continue;
        if (part.errorCode !== 0) {
          await this.partitionError(p, part.errorCode, offset);
          continue;
        }
        if (!part.data) continue;
        const batch = decodeRecords(p, part.data, offset, part.aborted);
        if (batch.next <= offset) continue;
        // the next offset moves past the batch at once: a retry after a failure fetches after it
        this.next.set(p, batch.next);
        const list = inFlight.get(p) ?? [];
        inFlight.set(p, list);
        const done = this.handler(p, batch, Number(part.highWatermark));
        list.push(done);
        const settle = (): void => void list.splice(list.indexOf(done), 1);
        done.then(settle, settle);
        // near the partition's end, finish its batches first: records arriving meanwhile make one larger batch
        if (part.highWatermark - batch.next < Math.max(FETCH_AHEAD_MIN, batch.length)) waitFor.push(...list);
      }
      await Promise.all(waitFor);
      for (const list of inFlight.values()) while (list.length >= MAX_IN_FLIGHT) await Promise.race(list);
    }
    await Promise.allSettled([...inFlight.values()].flat());
  }

  private async partitionError(partition: number, code: number, offset: number): Promise<void> {
    if (STALE_LEADER.has(code)) {
      await delay(BACKOFF_MS[0]);
      await this.refresh().catch(() => this.leaders.delete(partition));
      this.startLoops();
      return;
    }
    const why = code === OFFSET_OUT_OF_RANGE ? messages.offsetOutOfRange(this.topic, partition, offset) : `error code ${code} fetching ${this.topic}/${partition} at offset ${offset}`;
    this.fail(new KafkaError(code === OFFSET_OUT_OF_RANGE ? 'kafka-failed' : 'broker-refused', why, { context: { topic: this.topic, partition, offset } }));
  }

  private answered(): void {
    if (this.lostSince !== undefined) this.options.onReconnect?.(Date.now() - this.lostSince);
    this.lostSince = undefined;
    this.failures = 0;
  }

  /**
   * A fetch failed: back off and look the leaders up again until that succeeds, while the failure is
   * one a retry can cure and the broker has not been gone longer than the timeout; then the loops
   * go on from the reader's own offsets. Returns false when the reader has given up (failed).
   */
  private async recover(e: unknown): Promise<boolean> {
    for (let err = e; !this.stopped; ) {
      const kafkaError = toKafkaError(err, { topic: this.topic });
      const now = Date.now();
      if (this.lostSince === undefined) {
        this.lostSince = now;
        this.options.onConnectionLost?.(kafkaError);
      }
      const timeoutMs = this.options.reconnectTimeoutMs ?? DEFAULT_RECONNECT_TIMEOUT_MS;
      const retriable = kafkaError instanceof KafkaError && kafkaError.retriable;
      if (!retriable || now - this.lostSince > timeoutMs) {
        const why = kafkaError instanceof Error ? kafkaError.message : String(kafkaError);
        this.fail(retriable ? new KafkaError('broker-unreachable', messages.brokerGone(this.topic, Math.round(timeoutMs / 1000), why), { cause: kafkaError, context: { topic: this.topic } }) : kafkaError);
        return false;
      }
      await delay(BACKOFF_MS[Math.min(this.failures++, BACKOFF_MS.length - 1)]);
      try {
        await this.refresh();
        this.startLoops();
        return true;
      } catch (again) {
        err = again;
      }
    }
    return false;
  }

  private fail(e: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.failure = e instanceof Error ? e : new Error(String(e));
    this.options.onFailure?.(e);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client.close().catch(() => undefined);
    await Promise.all([...this.loops.values()]);
  }
}

const address = (b: Broker): string => `${b.host}:${b.port}`;

/** How long a reader keeps trying to reach a broker that stopped answering before the query fails. */
export const DEFAULT_RECONNECT_TIMEOUT_MS = 120_000;
