/**
 * Retries with exponential back-off and jitter. Only a WindowpaneError whose `retriable` is true is
 * retried; anything else (a non-retriable code, a plain Error) is thrown at once. After the last
 * attempt the last error is thrown unchanged.
 */
import { isWindowpaneError, type WindowpaneError } from '../errors.js';

export interface RetryOptions {
  /** Retries after the first attempt (a finite count): 0 tries once. */
  readonly retries: number;
  /** The wait before the first retry. */
  readonly initialMs: number;
  /** Each wait is the previous one times this (before jitter). */
  readonly factor: number;
  /** No wait is longer than this. */
  readonly maxMs: number;
  /** How far a wait may stray either way, as a fraction of it: 0.2 is ±20% (the default). */
  readonly jitter?: number;
  /** No retry starts once this long has passed since the first attempt began. */
  readonly budgetMs?: number;
  /** Seeds the jitter, so the waits are the same on every run (tests). */
  readonly seed?: number;
  /** Stops retrying: a wait in progress ends at once and the last error is thrown. */
  readonly signal?: AbortSignal;
  /** Told before each wait. */
  readonly onRetry?: (error: WindowpaneError, retry: number, waitMs: number) => void;
}

/** The wait before retry number `retry` (1-based), given a random number in [0, 1). */
export function backoffMs(retry: number, options: RetryOptions, random: number): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** (retry - 1));
  const jitter = options.jitter ?? 0.2;
  return Math.round(Math.min(options.maxMs, base * (1 - jitter + 2 * jitter * random)));
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The waits before retries 1, 2, … (as many as `options.retries`): the same every run for a given seed. */
export function backoffSchedule(options: RetryOptions): number[] {
  const random = options.seed === undefined ? Math.random : seeded(options.seed);
  return Array.from({ length: options.retries }, (_, i) => backoffMs(i + 1, options, random()));
}

/** Resolves after `ms`, or as soon as the signal aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `fn` (given the attempt number, from 0) until it succeeds or fails in a way a retry cannot help. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const waits = backoffSchedule(options);
  const started = Date.now();
  if (options.signal?.aborted) throw options.signal.reason;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!isWindowpaneError(e) || !e.retriable || attempt >= options.retries || options.signal?.aborted) throw e;
      const ms = waits[attempt] ?? options.maxMs;
      if (options.budgetMs !== undefined && Date.now() - started + ms > options.budgetMs) throw e;
      options.onRetry?.(e, attempt + 1, ms);
      await wait(ms, options.signal);
      if (options.signal?.aborted) throw e;
    }
  }
}
