/**
 * How a long-lived Kafka client (a live reader, a sink's producer) lives through a broker outage,
 * whatever library talks to the broker. The client reports what happens (`answered` after any
 * successful request, `failed` after a failure) and asks whether to try again; the watch keeps the
 * outage's start, its last error and the back-off, and gives up once the broker has been
 * unreachable for the timeout (or refused for good), with one clear KafkaError. What the run makes
 * of it (a warning in the cell, stats, the run's end) is up to the events it is given.
 */
import { isWindowpaneError, KafkaError, type WindowpaneError } from '../errors.js';
import { messages } from '../messages.js';
import { toKafkaError, type KafkaAt } from './errors.js';

export type BrokerHealth =
  | { readonly state: 'connected' }
  /** `reported`: told as an outage; a broker that answers "busy" (a coordinator loading) is retried quietly. */
  | { readonly state: 'unreachable'; readonly sinceMs: number; readonly error: KafkaError; readonly reported: boolean }
  | { readonly state: 'lost'; readonly error: WindowpaneError };

export interface BrokerWatchEvents {
  /** The broker stopped answering: the first failure of an outage; `lastAnswerMs` is when it last answered. */
  down(error: KafkaError, sinceMs: number, lastAnswerMs: number): void;
  /** It answers again, after `downMs` unreachable. */
  up(downMs: number): void;
  /** Given up: unreachable for the whole timeout, or a failure no retry can mend. */
  lost(error: WindowpaneError): void;
}

/** How long a broker may stay unreachable when neither the run nor the settings say. */
export const DEFAULT_BROKER_TIMEOUT_MS = 120_000;

/** Waits between attempts while the broker is away: 250 ms doubling to 2 s. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 2000;

/**
 * What the client itself said of a failure (its message, without our advice around it, nor its
 * final period: the messages end the sentence). A client that tried several connections
 * ("Cannot connect to any broker") gets the first one's root cause added (connect ECONNREFUSED …).
 */
export function clientWhy(error: WindowpaneError): string {
  const said = error.cause instanceof Error ? error.cause : error;
  const why = said.message.replace(/\.+$/, '');
  const tried = (said as { errors?: unknown }).errors;
  if (!Array.isArray(tried) || !(tried[0] instanceof Error)) return why;
  let root: Error = tried[0];
  while (root.cause instanceof Error) root = root.cause;
  const inner = root.message.replace(/\.+$/, '');
  return inner && !why.includes(inner) ? `${why} (${inner})` : why;
}

export class BrokerWatch {
  private current: BrokerHealth = { state: 'connected' };
  private timer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private lastAnswerMs = Date.now();
  /** The address of the broker the outage's failures came from. */
  private failing: string | undefined;

  constructor(
    /** What the client reads or writes, for the messages (brokers, topic). */
    private readonly at: KafkaAt,
    /** How long the broker may stay unreachable before the client gives up. */
    readonly timeoutMs: number,
    private readonly events: BrokerWatchEvents,
  ) {}

  /**
   * The brokers a message names: as the client was told (host:port), else the address a failure
   * came from when the client knows its brokers only by a phrase ("the given Kafka client").
   */
  get brokers(): string {
    const told = this.at.brokers;
    if (told !== undefined && /:\d+/.test(told)) return told;
    return this.failing ?? told ?? 'the configured brokers';
  }

  get health(): BrokerHealth {
    return this.current;
  }

  /** Whether the client should stop trying. */
  get gaveUp(): boolean {
    return this.current.state === 'lost';
  }

  /** A request succeeded: an outage, if any, is over. */
  answered(): void {
    this.lastAnswerMs = Date.now();
    if (this.current.state !== 'unreachable') return;
    const { sinceMs, reported } = this.current;
    this.clearTimer();
    this.current = { state: 'connected' };
    this.attempts = 0;
    if (reported) this.events.up(Date.now() - sinceMs);
  }

  /**
   * A request failed. Returns the wait before the next attempt, or undefined when the client must
   * give up (the watch has reported why through `lost`). `retried`: the failure comes after the
   * client's own retries (kafkajs); a client that fails at once (a dropped connection) says false,
   * and its first failure is tried again before it is told as an outage.
   */
  failed(cause: unknown, retried = true): number | undefined {
    if (this.current.state === 'lost') return undefined;
    const error = this.asKafkaError(cause);
    const named = error.context.broker;
    if (typeof named === 'string' && /:\d+$/.test(named)) this.failing = named;
    if (!(error instanceof KafkaError) || !error.retriable) {
      this.lose(error);
      return undefined;
    }
    // the broker answering "busy" is there, and a first failure may be a lone dropped connection:
    // both are retried without a warning, though not forever (the timeout runs)
    const report = error.code !== 'broker-busy' && (retried || this.current.state === 'unreachable');
    if (this.current.state === 'connected') {
      this.current = { state: 'unreachable', sinceMs: Date.now(), error, reported: false };
      this.timer = setTimeout(() => this.timedOut(), this.timeoutMs);
    } else this.current = { ...this.current, error };
    if (report && !this.current.reported) {
      this.current = { ...this.current, sinceMs: Date.now(), reported: true };
      this.events.down(error, this.current.sinceMs, this.lastAnswerMs);
    }
    return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempts++);
  }

  /** The client has stopped: no timeout fires any more. */
  close(): void {
    this.clearTimer();
  }

  private timedOut(): void {
    if (this.current.state !== 'unreachable') return;
    const { error, sinceMs } = this.current;
    const brokers = this.brokers;
    const context = Object.fromEntries(Object.entries({ broker: brokers, topic: this.at.topic, timeoutMs: this.timeoutMs, sinceMs }).filter(([, v]) => v !== undefined));
    this.lose(new KafkaError('broker-lost', messages.brokerLost(brokers, this.at.topic, this.timeoutMs, clientWhy(error)), { cause: error, context }));
  }

  private lose(error: WindowpaneError): void {
    this.clearTimer();
    this.current = { state: 'lost', error };
    this.events.lost(error);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Our own errors as they are; anything else the client throws as a KafkaError. */
  private asKafkaError(cause: unknown): WindowpaneError {
    const e = toKafkaError(cause, this.at);
    if (isWindowpaneError(e)) return e;
    const why = e instanceof Error ? e.message : String(e);
    return new KafkaError('kafka-failed', messages.kafkaFailed(this.at.brokers ?? 'the configured brokers', why), { cause });
  }
}
