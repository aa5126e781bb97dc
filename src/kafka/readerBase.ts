/**
 * What both exact-offset readers share: their client, the next offset per partition, kept by the
 * reader itself, and the BrokerWatch its connections report to.
 */
import type { ReaderOptions, RecordHandler, TopicReader } from './readerTypes.js';
import { BrokerWatch, DEFAULT_BROKER_TIMEOUT_MS } from './watch.js';

export abstract class ReaderBase<Client> implements TopicReader {
  /** Next offset per partition after the records handed to the handler. */
  protected readonly next: Map<number, number>;
  protected readonly watch: BrokerWatch;

  constructor(
    protected readonly client: Client,
    readonly topic: string,
    start: ReadonlyMap<number, number>,
    protected readonly handler: RecordHandler,
    protected readonly options: ReaderOptions = {},
  ) {
    this.next = new Map(start);
    this.watch = options.watch ?? new BrokerWatch({ topic }, DEFAULT_BROKER_TIMEOUT_MS, { down: () => undefined, up: () => undefined, lost: (e) => options.onFailure?.(e) });
  }

  /** The next offset to read per partition (records before it are handed to the handler). */
  positions(): ReadonlyMap<number, number> {
    return this.next;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
}
