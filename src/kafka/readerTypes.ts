/** What every exact-offset reader offers, whichever client it reads with. */
import type { RecordBatch } from './batch.js';
import type { BrokerWatch } from './watch.js';

/**
 * Called with one partition's records in offset order, and the partition's end offset as the fetch
 * saw it (its high watermark); batches may be handed over before the previous one is done.
 */
export type RecordHandler = (partition: number, batch: RecordBatch, end: number) => Promise<void>;

export interface ReaderOptions {
  /** The reader gave up: a failure of one partition (an offset gone, a refused fetch), or the watch's `lost` when no watch is given. */
  readonly onFailure?: (e: unknown) => void;
  /**
   * Hears of every failure and answer of the reader's connections, sets the wait between attempts
   * and says when to give up (then reports it through its own `lost`). Default: a watch with the
   * default broker timeout whose `lost` is onFailure.
   */
  readonly watch?: BrokerWatch;
}

export interface TopicReader {
  readonly topic: string;
  /** The next offset to read per partition (records before it are handed to the handler). */
  positions(): ReadonlyMap<number, number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
