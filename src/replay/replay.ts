/**
 * replay: send the rows of a file to a Kafka topic in event-time order, as JSON values.
 *
 *   1. open the file with DuckDB and find the event-time column (source.ts)
 *   2. reach the broker; check the topic (or create it when asked)
 *   3. stream the rows in event-time order; count bad rows instead of sending them
 *   4. pace (pacing.ts) and send in batches; report progress and the final count
 *   5. when looping, start over with the event times shifted one period later, until stopped
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Kafka, Message } from 'kafkajs';
import { ConfigError, SourceError } from '../errors.js';
import { messages } from '../messages.js';
import { createTopicAndWait, withAdmin } from '../kafka/admin.js';
import { toKafkaError } from '../kafka/errors.js';
import { kafkaClient, resolveBrokers } from '../kafka/connect.js';
import { Pacer, pacingFrom } from './pacing.js';
import { openSource } from './source.js';

export interface ReplayOptions {
  /** Any file DuckDB reads: Parquet, CSV, JSON/NDJSON, or a glob of them. */
  readonly file: string;
  readonly topic: string;
  /** Replay X times faster than event time. */
  readonly speedup?: number;
  /** Replay N rows per second. Neither: as fast as possible. */
  readonly rate?: number;
  /** Default: the first TIMESTAMP or DATE column. Text is parsed, numbers are epoch milliseconds. */
  readonly timeColumn?: string;
  /** The record key; default none. */
  readonly keyColumn?: string;
  /**
   * Replay the file again and again until the signal stops it, each pass with its event times
   * shifted one period later than the pass before, so that the topic stays live. The period is
   * `shiftMs`, by default the file's event-time span rounded up to whole days (so times of day
   * repeat). Needs a pace (speedup or rate).
   */
  readonly loop?: boolean | { readonly shiftMs: number };
  /** Create the topic when it does not exist. */
  readonly create?: boolean;
  /** Partitions of a topic created here. Default 1 (one total order). */
  readonly partitions?: number;
  /** Rows per produce request when not held back by pacing. Default 1000. */
  readonly batchSize?: number;
  /** Values larger than this are bad rows (the broker would refuse them). Default 1 000 000 bytes. */
  readonly maxMessageBytes?: number;
  /** A Kafka client; default: the configured cluster or the local broker. */
  readonly kafka?: Kafka;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** How often onProgress is called. Default 1000 ms. */
  readonly progressIntervalMs?: number;
}

export interface ReplayProgress {
  readonly sent: number;
  readonly bad: number;
  readonly total: number;
  /** Event time of the last row sent, ISO-8601. */
  readonly eventTime: string | undefined;
  readonly elapsedMs: number;
  /** The pass through the file (0 first; more when looping). */
  readonly pass: number;
}

export interface BadRow {
  /** 1-based row number in the file (DuckDB's scan order). */
  readonly row: number;
  readonly reason: string;
}

export interface ReplayResult {
  readonly topic: string;
  readonly timeColumn: string;
  readonly total: number;
  readonly sent: number;
  readonly bad: { readonly count: number; readonly byReason: Readonly<Record<string, number>>; readonly examples: readonly BadRow[] };
  readonly firstEventTime: string | undefined;
  readonly lastEventTime: string | undefined;
  readonly durationMs: number;
  readonly createdTopic: boolean;
  /** True when the signal stopped the replay before the end of the file. */
  readonly stopped: boolean;
  /** Passes through the file begun (1 unless looping). */
  readonly passes: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** Replays a file into a topic; a Kafka failure on the way (a broker that goes away mid-replay) is a KafkaError. */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  try {
    return await replayFile(options);
  } catch (e) {
    throw toKafkaError(e, { ...(options.kafka ? {} : { brokers: resolveBrokers().join(',') }), topic: options.topic });
  }
}

async function replayFile(options: ReplayOptions): Promise<ReplayResult> {
  const t0 = performance.now();
  const pacing = pacingFrom(options);
  if (options.loop && pacing.kind === 'asap') throw new ConfigError('replay-loop', messages.replayLoopUnpaced());
  const pacer = new Pacer(pacing);
  // 1. the file
  const source = await openSource(options.file, { ...(options.timeColumn !== undefined ? { timeColumn: options.timeColumn } : {}), ...(options.keyColumn !== undefined ? { keyColumn: options.keyColumn } : {}) });
  try {
    const shiftMs = loopShift(options.loop, source.firstMs, source.lastMs);
    // 2. the broker and the topic
    const kafka = options.kafka ?? kafkaClient();
    const createdTopic = await ensureTopic(kafka, options);
    // idempotent: a retried send (a leader moving, a fresh topic) never writes a row twice
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      // 3. and 4. rows in event-time order, paced, in batches
      const bad = { count: 0, byReason: {} as Record<string, number>, examples: [] as BadRow[] };
      const addBad = (row: number, reason: string) => {
        bad.count++;
        bad.byReason[reason] = (bad.byReason[reason] ?? 0) + 1;
        if (bad.examples.length < 10) bad.examples.push({ row, reason });
      };
      const maxBytes = options.maxMessageBytes ?? 1_000_000;
      const batchSize = options.batchSize ?? 1000;
      const interval = options.progressIntervalMs ?? 1000;
      let batch: Message[] = [];
      let sent = 0;
      let index = 0;
      let first: number | undefined;
      let last: number | undefined;
      let lastInBatch: number | undefined;
      let lastReport = 0;
      let stopped = false;
      let pass = 0;
      const report = () => options.onProgress?.({ sent, bad: bad.count, total: source.rowCount, eventTime: iso(last), elapsedMs: performance.now() - t0, pass });
      const flush = async () => {
        if (batch.length === 0) return;
        await producer.send({ topic: options.topic, messages: batch, acks: -1 });
        sent += batch.length;
        last = lastInBatch;
        batch = [];
        if (performance.now() - lastReport >= interval) {
          lastReport = performance.now();
          report();
        }
      };

      rows: for (; ; pass++) {
        for await (const chunk of readAhead(source.rows(pass * shiftMs))) {
          for (const row of chunk) {
            if (options.signal?.aborted) {
              stopped = true;
              break rows;
            }
            if (row.ms === null) {
              if (pass === 0) addBad(row.row, `event time (${source.timeColumn}) missing or unreadable`);
              continue;
            }
            if (Buffer.byteLength(row.value) > maxBytes) {
              if (pass === 0) addBad(row.row, `value larger than ${maxBytes} bytes`);
              continue;
            }
            const due = pacer.dueAt(index++, row.ms);
            const wait = due - (performance.now() - t0);
            if (wait > 1) {
              await flush();
              try {
                await delay(wait, undefined, options.signal ? { signal: options.signal } : {});
              } catch {
                stopped = true;
                break rows;
              }
            }
            first ??= row.ms;
            lastInBatch = row.ms;
            batch.push({ key: row.key, value: row.value, timestamp: String(row.ms) });
            if (batch.length >= batchSize) await flush();
          }
        }
        // 5. the next pass, or the end
        if (shiftMs === 0 || index === 0) break;
      }
      if (!stopped) await flush();
      report();
      return {
        topic: options.topic,
        timeColumn: source.timeColumn,
        total: source.rowCount,
        sent,
        bad,
        firstEventTime: iso(first),
        lastEventTime: iso(last),
        durationMs: performance.now() - t0,
        createdTopic,
        stopped,
        passes: pass + 1,
      };
    } finally {
      await producer.disconnect();
    }
  } finally {
    source.close();
  }
}

const DAY = 86_400_000;

/** How much later each pass of a loop is: the given period, else the span rounded up to days; 0 without a loop. */
function loopShift(loop: ReplayOptions['loop'], firstMs: number | undefined, lastMs: number | undefined): number {
  if (!loop) return 0;
  if (typeof loop === 'object') {
    if (!(loop.shiftMs > 0) || !Number.isInteger(loop.shiftMs)) throw new ConfigError('replay-loop', messages.invalidRunOption('loop.shiftMs', String(loop.shiftMs), 'a positive whole number of milliseconds'));
    return loop.shiftMs;
  }
  if (firstMs === undefined || lastMs === undefined) return 0;
  return Math.max(1, Math.ceil((lastMs - firstMs + 1) / DAY)) * DAY;
}

/** Asks for the next chunk before handing out this one, so DuckDB reads while Kafka sends. */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = source.next();
      next.catch(() => undefined); // surfaces on the next await; not unhandled if we stop first
      yield current.value;
    }
  } finally {
    await source.return(undefined);
  }
}

async function ensureTopic(kafka: Kafka, options: ReplayOptions): Promise<boolean> {
  // a client of the caller's may point anywhere: then the failing broker the error names is the one to show
  const brokers = options.kafka ? undefined : resolveBrokers().join(',');
  return withAdmin(kafka, { brokers, topic: options.topic }, async (admin) => {
    const topics = await admin.listTopics();
    if (topics.includes(options.topic)) return false;
    if (!options.create) throw new SourceError('topic-missing', messages.replayTopicMissing(options.topic), { context: { topic: options.topic } });
    // true when this call made the topic, false when it already existed (a retry after a lost answer)
    return createTopicAndWait(admin, { topic: options.topic, partitions: options.partitions ?? 1 });
  });
}
