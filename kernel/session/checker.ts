import type { Worker } from 'node:worker_threads';
import { KernelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { startThread } from '../thread.js';
import type { CheckerAnswers, CheckerConfig, CheckerRequest, FromChecker, ToChecker } from './checker-messages.js';

type Pending = { resolve: (answer: never) => void; reject: (e: Error) => void };

/**
 * The main thread's end of the type checker's thread (checker-thread.ts). It starts at once with
 * the session; `warm` turns true when the thread's first checks are done (seconds after start),
 * and until then the session answers completion and inspection from the runtime instead.
 */
export class TypeChecker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private isWarm = false;
  private disposed = false;
  /** Resolves when the checker is warm, or has failed (the session then goes on without it). */
  readonly settled: Promise<void>;

  constructor(config: CheckerConfig) {
    this.worker = startThread(import.meta.url, 'checker-thread', config);
    // The checker never keeps the kernel alive.
    this.worker.unref();
    this.settled = new Promise<void>((resolve) => {
      this.worker.on('message', (m: FromChecker) => {
        if (m.kind === 'warm') {
          this.isWarm = true;
          resolve();
        } else this.settle(m);
      });
      this.worker.once('error', (e) => this.fail(e.message, resolve));
      this.worker.once('exit', (code) => this.fail(`its thread exited with code ${code}`, resolve));
    });
  }

  /** Whether answers come at once (the warm-up is done) and the checker still works. */
  get warm(): boolean {
    return this.isWarm && this.failure === undefined;
  }

  /** Declares the preloaded names once the library has loaded. */
  setGlobals(text: string): void {
    this.post({ kind: 'globals', text });
  }

  ask<K extends CheckerRequest['kind']>(request: CheckerRequest & { kind: K }): Promise<CheckerAnswers[K]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    return new Promise<CheckerAnswers[K]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ kind: 'request', id, request });
    });
  }

  dispose(): Promise<void> {
    this.disposed = true;
    return this.worker.terminate().then(() => undefined);
  }

  private post(m: ToChecker): void {
    if (!this.failure) this.worker.postMessage(m);
  }

  private settle(m: FromChecker & { kind: 'answer' | 'failed' }): void {
    const waiting = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.kind === 'answer') waiting?.resolve(m.answer as never);
    else waiting?.reject(new KernelError('type-checker-failed', messages.sessionTypeCheckerRequest(m.message)));
  }

  private fail(reason: string, settled: () => void): void {
    if (!this.failure && !this.disposed) process.stderr.write(`windowpane kernel: ${messages.sessionTypeCheckerFailed(reason)}\n`);
    this.failure ??= new KernelError('type-checker-failed', messages.sessionTypeCheckerFailed(reason));
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    settled();
  }
}
