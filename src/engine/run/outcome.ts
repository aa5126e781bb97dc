/** What every run (window query, interval join, stateless pipeline) needs to start, step and end. */

/** A promise settled from outside; observed already, so a run that fails unawaited is no unhandled rejection. */
export interface Outcome {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

export function outcome(): Outcome {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Runs async steps one at a time, in call order; a failed step does not block the next one. */
export class Serial {
  private lock: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn);
    this.lock = next.catch(() => undefined);
    return next;
  }
}
