/** What every exact-offset reader offers, whichever client it reads with. */
import type { RecordBatch } from './batch.js';

/**
 * Called with one partition's records in offset order, and the partition's end offset as the fetch
 * saw it (its high watermark); batches may be handed over before the previous one is done.
 */
export type RecordHandler = (partition: number, batch: RecordBatch, end: number) => Promise<void>;

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
