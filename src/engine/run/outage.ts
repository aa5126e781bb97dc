/**
 * A run's broker outages, as the user sees them: each Kafka client of the run (a live input's
 * reader, a Kafka sink's producer) gets a BrokerWatch (src/kafka/watch.ts) whose events land here.
 * An outage is a warning in the cell when it starts and when it ends, shows in stats() while it
 * lasts, and ends the run with the watch's error once the broker timeout has passed.
 *
 * The run's stream clock stops while a live input is cut off, from the reader's last answer (a
 * client notices a dead broker only after a retry or its own retries, up to some seconds later): partitions go idle
 * by the time they were readable and silent, so an outage does not close windows early and a
 * reconnected run gives the answer it would have given without the outage.
 */
import { isWindowpaneError, type KafkaError, type WindowpaneError } from '../../errors.js';
import { BrokerWatch, clientWhy } from '../../kafka/watch.js';
import { messages } from '../../messages.js';

/** How the broker looks to a run: for stats() and a status line. */
export interface BrokerStats {
  /** 'unreachable' during an outage; 'lost' once the run gave up on the broker. */
  readonly state: 'connected' | 'unreachable' | 'lost';
  /** When the current outage began (epoch ms), while unreachable. */
  readonly since?: number;
  /** Outages so far, the current one included. */
  readonly outages: number;
  /** Time spent unreachable, the current outage included (ms). */
  readonly downMs: number;
  /** What the client last said of a failure. */
  readonly lastError?: string;
  /** How long an outage may last before the run stops (the brokerTimeout option). */
  readonly timeoutMs: number;
}

/** Who waits for the broker: a live input's reader (its positions are where it resumes) or a Kafka sink. */
export type OutageSubject =
  | { readonly kind: 'source'; readonly source: string; readonly topic: string; readonly brokers: string; readonly positions: () => ReadonlyMap<number, number> }
  | { readonly kind: 'sink'; readonly topic: string; readonly brokers: string };

/** Wall-clock milliseconds for the engine's idle timeouts. */
export interface StreamClock {
  now(): number;
}

export const wallClock: StreamClock = { now: () => Date.now() };

function offsetsText(positions: ReadonlyMap<number, number>): string {
  return [...positions].sort(([a], [b]) => a - b).map(([p, o]) => `${p}:${o}`).join(', ') || '(none yet)';
}

export class Outages implements StreamClock {
  private readonly watches: BrokerWatch[] = [];
  /** Outages of the run: spans with at least one client cut off (a reader and a sink failing together are one). */
  private outages = 0;
  private downMs = 0;
  private clientsDown = 0;
  private downSince = 0;
  private lastError: string | undefined;
  /** Live inputs cut off now, and since when the clock stands still. */
  private inputsDown = 0;
  private pausedSince: number | undefined;
  private pausedMs = 0;
  private resumedAt = 0;

  constructor(
    readonly timeoutMs: number,
    private readonly warn: (message: string) => void,
    private readonly fail: (error: WindowpaneError) => void,
  ) {}

  /** Wall time without the time live inputs were cut off. */
  now(): number {
    const t = Date.now();
    return t - this.pausedMs - (this.pausedSince === undefined ? 0 : t - this.pausedSince);
  }

  /** A watch for one client of the run. */
  watch(subject: OutageSubject): BrokerWatch {
    const input = subject.kind === 'source';
    let brokers = subject.brokers;
    const w = new BrokerWatch({ brokers: subject.brokers, topic: subject.topic }, this.timeoutMs, {
      down: (error: KafkaError, _sinceMs: number, lastAnswerMs: number) => {
        if (this.clientsDown++ === 0) {
          this.outages++;
          this.downSince = Date.now();
        }
        this.lastError = clientWhy(error);
        brokers = w.brokers;
        // never back past the end of the last pause, which is counted already
        if (input && this.inputsDown++ === 0) this.pausedSince = Math.max(lastAnswerMs, this.resumedAt);
        this.warn(subject.kind === 'source'
          ? messages.brokerDownReading(subject.source, brokers, this.lastError, subject.topic, offsetsText(subject.positions()), this.timeoutMs)
          : messages.brokerDownSink(subject.topic, brokers, this.lastError, this.timeoutMs));
      },
      up: (downMs: number) => {
        if (--this.clientsDown === 0) this.downMs += Date.now() - this.downSince;
        if (input) this.resumeClock();
        this.warn(subject.kind === 'source'
          ? messages.brokerBackReading(subject.source, brokers, downMs, subject.topic, offsetsText(subject.positions()))
          : messages.brokerBackSink(subject.topic, brokers, downMs));
      },
      lost: (error: WindowpaneError) => {
        // broker-lost wraps the last failure
        this.lastError = clientWhy(error.code === 'broker-lost' && isWindowpaneError(error.cause) ? error.cause : error);
        this.fail(error);
      },
    });
    this.watches.push(w);
    return w;
  }

  private resumeClock(): void {
    if (--this.inputsDown > 0 || this.pausedSince === undefined) return;
    this.resumedAt = Date.now();
    this.pausedMs += this.resumedAt - this.pausedSince;
    this.pausedSince = undefined;
  }

  stats(): BrokerStats {
    const lost = this.watches.some((w) => w.health.state === 'lost');
    const down = this.clientsDown > 0;
    // while cut off, what the client said last
    const latest = this.watches.map((w) => w.health).find((h) => h.state === 'unreachable' && h.reported);
    if (latest?.state === 'unreachable') this.lastError = clientWhy(latest.error);
    return {
      state: lost ? 'lost' : down ? 'unreachable' : 'connected',
      ...(down ? { since: this.downSince } : {}),
      outages: this.outages,
      downMs: this.downMs + (down ? Date.now() - this.downSince : 0),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      timeoutMs: this.timeoutMs,
    };
  }
}
