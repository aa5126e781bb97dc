import { Session } from 'node:inspector';
import { writeSync } from 'node:fs';
import type { ToMain } from './bridge.js';

/**
 * Run on the main thread (in a V8 interrupt, while its loop is busy) just before terminating its
 * JavaScript. First it reads which execution the busy code belongs to (its AsyncLocalStorage store,
 * kernel/session/context.ts): a loop in a timer of a finished cell must not abort the cell that runs
 * now. Then it empties the async-id stack: terminated frames never run their async_hooks "after"
 * callbacks, so Node would find the stack unbalanced and abort the process (AsyncLocalStorage
 * enables those checks); the next callback starts from a clean one, as after an uncaught exception.
 */
const RESET_ASYNC_STACK = `(() => {
  const running = globalThis[Symbol.for('windowpane.runningExecution')];
  const id = typeof running === 'function' ? running() : undefined;
  const warn = process.emitWarning;
  process.emitWarning = () => {};
  try {
    const b = process.binding('async_wrap');
    b.async_hook_fields[b.constants.kCheck] = 0;
    b.clearAsyncIdStack();
  } finally {
    process.emitWarning = warn;
  }
  return id === undefined ? null : id;
})()`;

/**
 * Interrupts the main thread from the I/O thread. First it asks politely: when the main thread
 * acknowledges within the grace period, it is free, and the execution running when the interrupt
 * came has its signal aborted (which cancels a pending await). Otherwise it is running JavaScript
 * synchronously, so the I/O thread terminates that JavaScript through an inspector session on the
 * main thread (Runtime.terminateExecution: a V8 interrupt, so it stops a loop at top level or after
 * an await; the isolate and every variable survive) and aborts the execution that JavaScript belongs
 * to: a late acknowledgement aborts nothing more, so a cell that started meanwhile runs on.
 */
export class Interrupter {
  private nextId = 1;
  private readonly pending = new Map<number, { readonly target: string | undefined; timer: NodeJS.Timeout }>();

  constructor(
    private readonly post: (m: ToMain) => void,
    private readonly graceMs: number,
    /** False until the main thread has a session to run cells with. */
    private readonly mayTerminate: () => boolean,
    /** True while the main thread runs the kernel's own work (loading, compiling, type-checking). */
    private readonly busyInternally: () => boolean = () => false,
  ) {}

  /** `target`: the msg_id of the request running now, so a later one is never hit by this interrupt. */
  interrupt(target: string | undefined): void {
    const id = this.nextId++;
    this.post({ kind: 'interrupt', id });
    this.pending.set(id, { target, timer: setTimeout(() => this.terminate(id, target), this.graceMs) });
  }

  acknowledge(id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return; // terminated already: that aborted the execution it belonged to
    clearTimeout(pending.timer);
    this.pending.delete(id);
    this.post({ kind: 'abort', target: pending.target });
  }

  private terminate(id: number, target: string | undefined): void {
    // Loading the session: nothing to terminate; a later acknowledgement still aborts the target.
    if (!this.mayTerminate()) return;
    const pending = this.pending.get(id);
    if (!pending) return;
    // Never cut into the kernel's own work: wait until the cell's code runs again (or it acknowledges).
    if (this.busyInternally()) {
      pending.timer = setTimeout(() => this.terminate(id, target), 20);
      return;
    }
    this.pending.delete(id);
    const session = new Session();
    try {
      session.connectToMainThread();
    } catch (e) {
      writeSync(2, `windowpane kernel: cannot attach to the main thread to interrupt it: ${String(e)}\n`);
      return;
    }
    session.post('Runtime.evaluate', { expression: RESET_ASYNC_STACK, returnByValue: true }, (evalErr, result) => {
      const failed = evalErr?.message ?? result?.exceptionDetails?.exception?.description;
      if (failed) writeSync(2, `windowpane kernel: could not prepare the main thread for an interrupt: ${failed}\n`);
      // the execution whose code is terminated; when it cannot be read, the one started last
      const running: unknown = failed ? target : result?.result?.value;
      session.post('Runtime.terminateExecution', (err) => {
        if (err) writeSync(2, `windowpane kernel: terminateExecution failed: ${err.message}\n`);
        session.disconnect();
        this.post({ kind: 'abort', target: typeof running === 'string' ? running : undefined });
      });
    });
  }
}

interface SignalHandle {
  onsignal: (signum: number) => void;
  start(this: SignalHandle, signum: number): number;
  unref(this: SignalHandle): void;
}

/**
 * Listens for SIGINT on the I/O thread. Node delivers process signals to the main thread's event
 * loop only, which a busy cell blocks, so this uses the signal_wrap binding (a libuv signal handle
 * on this thread's loop). Returns false when the binding is unavailable.
 */
export function onSigint(handler: () => void): boolean {
  const proc = process as unknown as { emitWarning: unknown; binding(this: unknown, name: string): { Signal: new () => SignalHandle } };
  const warn = proc.emitWarning;
  try {
    proc.emitWarning = () => {}; // process.binding is deprecated (DEP0111); the warning would reach users
    const binding = proc.binding.call(process, 'signal_wrap');
    const handle = new binding.Signal();
    handle.onsignal = () => handler();
    if (handle.start(2) !== 0) return false;
    handle.unref();
    return true;
  } catch {
    return false;
  } finally {
    proc.emitWarning = warn;
  }
}
