import { Session } from 'node:inspector';
import { writeSync } from 'node:fs';
import type { ToMain } from './bridge.js';

/**
 * Run on the main thread (in a V8 interrupt, while its loop is busy) just before terminating its
 * JavaScript. Terminated frames never run their async_hooks "after" callbacks, so Node would find
 * its async-id stack unbalanced and abort the process (AsyncLocalStorage enables those checks).
 * Emptying the stack first leaves nothing to unbalance; the next callback starts from a clean one,
 * as after an uncaught exception.
 */
const RESET_ASYNC_STACK = `(() => {
  const warn = process.emitWarning;
  process.emitWarning = () => {};
  try {
    const b = process.binding('async_wrap');
    b.async_hook_fields[b.constants.kCheck] = 0;
    b.clearAsyncIdStack();
  } finally {
    process.emitWarning = warn;
  }
})()`;

/**
 * Interrupts the main thread from the I/O thread. First it asks politely (the main thread aborts
 * the running execution's signal, which cancels a pending await); if the main thread does not
 * acknowledge within the grace period it is running JavaScript synchronously, so the I/O thread
 * terminates that JavaScript through an inspector session on the main thread
 * (Runtime.terminateExecution: a V8 interrupt, so it stops a loop at top level or after an await;
 * the isolate and every variable survive).
 */
export class Interrupter {
  private nextId = 1;
  private readonly pending = new Map<number, NodeJS.Timeout>();

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
    this.post({ kind: 'interrupt', id, target });
    this.pending.set(
      id,
      setTimeout(() => this.terminate(id, target), this.graceMs),
    );
  }

  acknowledge(id: number): void {
    clearTimeout(this.pending.get(id));
    this.pending.delete(id);
  }

  private terminate(id: number, target: string | undefined): void {
    this.pending.delete(id);
    if (!this.mayTerminate()) return;
    // Never cut into the kernel's own work: wait until the cell's code runs again (or it acknowledges).
    if (this.busyInternally()) {
      this.pending.set(id, setTimeout(() => this.terminate(id, target), 20));
      return;
    }
    const session = new Session();
    try {
      session.connectToMainThread();
    } catch (e) {
      writeSync(2, `windowpane kernel: cannot attach to the main thread to interrupt it: ${String(e)}\n`);
      return;
    }
    session.post('Runtime.evaluate', { expression: RESET_ASYNC_STACK }, (evalErr, result) => {
      const failed = evalErr?.message ?? result?.exceptionDetails?.exception?.description;
      if (failed) writeSync(2, `windowpane kernel: could not prepare the main thread for an interrupt: ${failed}\n`);
      session.post('Runtime.terminateExecution', (err) => {
        if (err) writeSync(2, `windowpane kernel: terminateExecution failed: ${err.message}\n`);
        session.disconnect();
        this.post({ kind: 'terminated', id, target });
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
