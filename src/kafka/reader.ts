/**
 * The exact-offset reader behind one interface: a topic read from given per-partition offsets,
 * handed over one partition's batch at a time, in offset order. For a client made here (createKafka,
 * kafkaClient) the reader fetches the partitions directly from their leaders (partitionReader.ts);
 * for a kafkajs client made elsewhere, whose settings are unknown, it falls back to kafkajs with a
 * consumer group of its own (groupReader.ts).
 */
import type { Kafka } from 'kafkajs';
import type { RecordBatch } from './batch.js';
import { clientSettings } from './client.js';
import { FetchClient } from './fetchClient.js';
import { GroupReader } from './groupReader.js';
import { PartitionReader } from './partitionReader.js';

export type { RecordBatch, TopicRecord } from './batch.js';

/** Called with one partition's records in offset order; batches may be handed over before the previous one is done. */
export type RecordHandler = (partition: number, batch: RecordBatch) => Promise<void>;

export interface ReaderOptions {
  /** The reader gave up (a broker gone longer than the reconnect timeout, a refused request). */
  readonly onFailure?: (e: unknown) => void;
  /** The broker stopped answering; the reader keeps trying. */
  readonly onConnectionLost?: (e: unknown) => void;
  /** The broker answers again after `downMs`; reading resumes at the reader's own offsets. */
  readonly onReconnect?: (downMs: number) => void;
  /** How long to keep trying a broker that stopped answering (default 120 s). */
  readonly reconnectTimeoutMs?: number;
}

export interface TopicReader {
  readonly topic: string;
  /** The next offset to read per partition (records before it are handed to the handler). */
  positions(): ReadonlyMap<number, number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function openReader(kafka: Kafka, topic: string, start: ReadonlyMap<number, number>, handler: RecordHandler, options: ReaderOptions = {}): TopicReader {
  const known = clientSettings(kafka);
  if (known) return new PartitionReader(new FetchClient(known.settings, known.brokers), topic, start, handler, options);
  return new GroupReader(kafka, topic, start, handler, options);
}
