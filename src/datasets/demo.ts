/**
 * A demo stream: a data set's live file replayed into a Kafka topic in the background, the way a
 * real system would feed it. `windowpane up` starts the quickstart's; the notebooks start their own
 * when run by hand, and in headless runs wait for it to end so their bounded queries see it all.
 */
import type { Kafka } from 'kafkajs';
import { kafkaClient } from '../kafka/connect.js';
import { createTopicAndWait } from '../kafka/admin.js';
import { replay, type ReplayProgress, type ReplayResult } from '../replay/index.js';
import { toKafkaError } from '../kafka/errors.js';

export interface DemoStreamOptions {
  readonly file: string;
  readonly topic: string;
  /** Replay this many times faster than event time; neither this nor rate: as fast as possible. */
  readonly speedup?: number;
  readonly rate?: number;
  readonly partitions?: number;
  readonly keyColumn?: string;
  /** The column that orders the replay (default: the file's first TIMESTAMP column). */
  readonly timeColumn?: string;
  /**
   * Replay the file again and again while the stream runs, each pass with its event times shifted
   * one period later (default: the file's span in whole days), so windows keep filling and closing.
   */
  readonly loop?: boolean | { readonly shiftMs: number };
  /** Delete the topic first if it exists, so a restarted demo does not double its data. Default true. */
  readonly fresh?: boolean;
  readonly kafka?: Kafka;
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export interface DemoStream {
  readonly topic: string;
  /** Resolves when the whole file was sent (never, when looping), or the stream was stopped. */
  readonly done: Promise<ReplayResult>;
  stop(): Promise<void>;
}

/** Resolves once the topic exists; the replay then runs in the background. */
export async function demoStream(options: DemoStreamOptions): Promise<DemoStream> {
  const kafka = options.kafka ?? kafkaClient();
  const partitions = options.partitions ?? 1;
  await freshTopic(kafka, options.topic, partitions, options.fresh ?? true);
  const abort = new AbortController();
  const done = replay({
    file: options.file,
    topic: options.topic,
    kafka,
    signal: abort.signal,
    ...(options.speedup !== undefined ? { speedup: options.speedup } : {}),
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
    ...(options.keyColumn !== undefined ? { keyColumn: options.keyColumn } : {}),
    ...(options.timeColumn !== undefined ? { timeColumn: options.timeColumn } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.loop !== undefined ? { loop: options.loop } : {}),
  });
  done.catch(() => undefined);
  return {
    topic: options.topic,
    done,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}

/** Creates the topic, deleting an old one first when `fresh` (default): a clean topic for a demo. */
export async function freshTopic(kafka: Kafka, topic: string, partitions: number, fresh = true): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    let topics = await admin.listTopics();
    if (topics.includes(topic) && !fresh) return;
    if (topics.includes(topic)) {
      await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
      // deletion completes asynchronously; creation is refused until it has
      for (let i = 0; i < 100 && topics.includes(topic); i++) {
        await new Promise((r) => setTimeout(r, 100));
        topics = await admin.listTopics();
      }
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await createTopicAndWait(admin, { topic, partitions });
        return;
      } catch (e) {
        if (attempt >= 20 || !/already exists|marked for deletion/i.test(e instanceof Error ? e.message : String(e))) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } catch (e) {
    throw toKafkaError(e, { topic });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
