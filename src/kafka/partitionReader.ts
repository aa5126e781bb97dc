/**
 * Reads a topic from exact per-partition offsets by fetching the assigned partitions directly from
 * their leaders: no consumer group, no seek. One fetch loop per leader asks for all the partitions
 * it leads in one request (a broker answers one connection's requests in turn, so a request per
 * partition would wait behind another's long poll); the reader keeps the next offset per partition
 * itself, so a lost connection, a broker restart or a leader change resumes exactly where it was,
 * with no record skipped or repeated.
 *
 * `recover` is the one place where a lost connection is seen: it tells the BrokerWatch
 * (watch.ts), waits as the watch says and looks the leaders up again until the broker answers, or
 * until the watch gives up (the broker timeout has passed, or the failure is one no retry mends);
 * the watch then reports the end (its `lost`). Every answered fetch tells the watch too.
 *
 * The handler runs behind the fetch: while the partition holds at least another batch's worth of
 * records (a backlog) the next fetch goes out while a batch is processed, with at most MAX_IN_FLIGHT
 * batches handed over and not yet done; near the partition's end (live) a batch is processed before
 * the next fetch, so that records arriving meanwhile make one larger batch, and while records keep
 * coming a fetch lets the broker gather them for a moment (GATHER). Batches of a partition reach
 * the handler in offset order.
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
/** An idle reader's fetch: it returns as soon as a record arrives, so the first records of a quiet topic are not held back. */
const LONG_POLL = { maxWaitMs: 500, minBytes: 1 };
/**
 * A busy reader's fetch (the last one brought records): the broker gathers what arrives for up to
 * 20 ms, so a steady stream comes in batches of tens of milliseconds rather than one per produce
 * request, each paying the run's per-batch statements.
 */
const GATHER = { maxWaitMs: 20, minBytes: 1 << 20 };
/** The wait before a leaderless partition is looked up again. */
const LEADERLESS_MS = 500;
const STALE_LEADER_MS = 100;
/** Kafka error codes that mean the leader moved or is being elected: look it up again. */
const STALE_LEADER = new Set([3, 5, 6, 74, 75]);
const OFFSET_OUT_OF_RANGE = 1;

export class PartitionReader extends ReaderBase<FetchClient> {
  private leaders = new Map<number, Broker>();
  private refreshing: Promise<void> | undefined;
  private stopped = false;
  /** The running fetch loops, by leader address. */
  private readonly loops = new Map<string, Promise<void>>();
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
      if (!(await this.recover(err, this.client.brokers))) throw this.failure ?? err;
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
      void delay(LEADERLESS_MS).then(async () => {
        this.lookingAgain = false;
        if (this.stopped) return;
        try {
          await this.refresh();
          this.startLoops();
        } catch (e) {
          await this.recover(e, this.client.brokers);
        }
      });
    }
  }

  private async loop(leader: Broker): Promise<void> {
    const key = address(leader);
    const inFlight = new Map<number, Promise<void>[]>();
    let busy = false;
    while (!this.stopped) {
      const mine = [...this.next.keys()].filter((p) => this.leaders.has(p) && address(this.leaders.get(p)!) === key);
      // leadership moved: the new leaders' loops read these partitions
      if (mine.length === 0) break;
      let got;
      try {
        got = await this.client.fetch(leader, this.topic, mine.map((partition) => ({ partition, offset: this.next.get(partition)! })), busy ? GATHER : LONG_POLL);
      } catch (e) {
        if (this.stopped || !(await this.recover(e, key))) break;
        continue;
      }
      if (this.stopped) break;
      this.answered();
      busy = false;
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
        busy = true;
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
      await delay(STALE_LEADER_MS);
      await this.refresh().catch(() => this.leaders.delete(partition));
      this.startLoops();
      return;
    }
    const why = code === OFFSET_OUT_OF_RANGE ? messages.offsetOutOfRange(this.topic, partition, offset) : `error code ${code} fetching ${this.topic}/${partition} at offset ${offset}`;
    this.fail(new KafkaError(code === OFFSET_OUT_OF_RANGE ? 'kafka-failed' : 'broker-refused', why, { context: { topic: this.topic, partition, offset } }));
  }

  private answered(): void {
    this.watch.answered();
  }

  /**
   * A fetch failed: tell the watch, wait as it says and look the leaders up again until that
   * succeeds (the loops go on from the reader's own offsets), or until the watch gives up. `from`:
   * the broker(s) the failed request went to, for the messages. Returns false when the reader has
   * stopped for good.
   */
  private async recover(e: unknown, from: string): Promise<boolean> {
    // a lone dropped connection is retried before it counts as an outage
    for (let err = e, at = from, first = true; !this.stopped; first = false) {
      const waitMs = this.watch.failed(toKafkaError(err, { brokers: at, topic: this.topic }), !first);
      if (waitMs === undefined) {
        const h = this.watch.health;
        this.stopped = true;
        this.failure = h.state === 'lost' ? h.error : toKafkaError(err, { topic: this.topic }) as Error;
        return false;
      }
      await delay(waitMs);
      try {
        await this.refresh();
        this.startLoops();
        return true;
      } catch (again) {
        err = again;
        at = this.client.brokers;
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
    this.watch.close();
    await this.client.close().catch(() => undefined);
    await Promise.all([...this.loops.values()]);
  }
}

const address = (b: Broker): string => `${b.host}:${b.port}`;
