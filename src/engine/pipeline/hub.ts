/**
 * The record hub of a pipeline: a stream, not a table. Each subscriber receives the records published
 * after it subscribed, in the form it asked for (output.ts); records published while nobody listens
 * are kept (up to RETAIN, oldest dropped and counted) for the next subscriber. A subscriber holding
 * more than HIGH unread records holds the pipeline back, so a slow sink slows the reader instead of
 * filling memory.
 */
import { asError } from '../../errors.js';
import type { OutputBatch, OutputWant } from './output.js';

const RETAIN = 100_000;
const HIGH = 20_000;

interface Subscriber {
  readonly want: OutputWant;
  readonly queue: OutputBatch[];
  size: number;
  wake: (() => void) | undefined;
}

export class RecordHub {
  private readonly subscribers = new Set<Subscriber>();
  private retained: OutputBatch[] = [];
  private retainedSize = 0;
  private drained: (() => void)[] = [];
  private ended = false;
  private stopping = false;
  private failure: unknown;
  /** Records dropped from the retained buffer because nobody subscribed. */
  unread = 0;

  /** What the subscribers want now (none: records, kept for the next subscriber). */
  wants(): OutputWant[] {
    return [...this.subscribers].map((s) => s.want);
  }

  /** Publishes a batch built for wants(); resolves once every subscriber has room for more. */
  async publish(batch: OutputBatch): Promise<void> {
    if (batch.length === 0) return;
    if (this.subscribers.size === 0) {
      this.retained.push(batch);
      this.retainedSize += batch.length;
      while (this.retainedSize > RETAIN && this.retained.length > 1) {
        const old = this.retained.shift()!;
        this.retainedSize -= old.length;
        this.unread += old.length;
      }
      return;
    }
    for (const s of this.subscribers) {
      s.queue.push(batch);
      s.size += batch.length;
      s.wake?.();
    }
    while (!this.ended && !this.stopping && [...this.subscribers].some((s) => s.size > HIGH)) await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  /** The pipeline is stopping: publishing no longer waits for slow subscribers (they get the rest). */
  stopWaiting(): void {
    this.stopping = true;
    this.release();
  }

  end(failure?: unknown): void {
    this.ended = true;
    this.failure = failure;
    for (const s of this.subscribers) s.wake?.();
    this.release();
  }

  private release(): void {
    const waiting = this.drained;
    this.drained = [];
    for (const w of waiting) w();
  }

  /** Subscribes now (not at the first next()), so nothing published from here on is missed. */
  subscribe(want: OutputWant): AsyncIterable<OutputBatch> {
    const s: Subscriber = { want, queue: this.retained, size: this.retainedSize, wake: undefined };
    this.retained = [];
    this.retainedSize = 0;
    this.subscribers.add(s);
    const leave = (): void => {
      this.subscribers.delete(s);
      this.release();
    };
    const next = async (): Promise<IteratorResult<OutputBatch>> => {
      for (;;) {
        const batch = s.queue.shift();
        if (batch) {
          s.size -= batch.length;
          if (s.size <= HIGH) this.release();
          return { done: false, value: batch };
        }
        if (this.ended) {
          leave();
          if (this.failure !== undefined) throw asError(this.failure);
          return { done: true, value: undefined };
        }
        await new Promise<void>((resolve) => (s.wake = resolve));
        s.wake = undefined;
      }
    };
    const iterator: AsyncIterator<OutputBatch> = {
      next,
      return: () => {
        leave();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
    return { [Symbol.asyncIterator]: () => iterator };
  }
}
