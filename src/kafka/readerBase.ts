/** What both exact-offset readers share: their client, and the next offset per partition, kept by the reader itself. */
import type { ReaderOptions, RecordHandler, TopicReader } from './readerTypes.js';

export abstract class ReaderBase<Client> implements TopicReader {
  /** Next offset per partition after the records handed to the handler. */
  protected readonly next: Map<number, number>;

  constructor(
    protected readonly client: Client,
    readonly topic: string,
    start: ReadonlyMap<number, number>,
    protected readonly handler: RecordHandler,
    protected readonly options: ReaderOptions = {},
  ) {
    this.next = new Map(start);
  }

  /** The next offset to read per partition (records before it are handed to the handler). */
  positions(): ReadonlyMap<number, number> {
    return this.next;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
}
