import type { AnyMessage, SessionMessage } from './messages.js';
import { isSessionMessage } from './messages.js';

/**
 * Shell requests wait here, on the I/O thread, and go to the main thread one at a time: a request
 * is never lost when the main thread's JavaScript is terminated, and requests queued behind a
 * failed cell can be aborted (stop_on_error) without asking the main thread.
 */
export interface ShellQueueHooks {
  /** Handles kernel_info_request on the I/O thread, in queue order. */
  answerHere(msg: AnyMessage): void;
  /** Hands a request to the main thread (status busy has been published by then). */
  dispatch(msg: SessionMessage): void;
  /** Answers an execute_request aborted by stop_on_error. */
  abort(msg: AnyMessage): void;
  /** Any other request type the kernel does not serve on shell. */
  unsupported(msg: AnyMessage): void;
}

export class ShellQueue {
  private readonly waiting: AnyMessage[] = [];
  private running: SessionMessage | undefined;

  constructor(private readonly hooks: ShellQueueHooks) {}

  get current(): SessionMessage | undefined {
    return this.running;
  }

  push(msg: AnyMessage): void {
    this.waiting.push(msg);
    this.pump();
  }

  /** The main thread finished the running request; `finished` runs before any abort replies. */
  done(abortQueue: boolean, finished: (msg: SessionMessage) => void): void {
    if (this.running) finished(this.running);
    this.running = undefined;
    if (abortQueue) {
      const kept = this.waiting.filter((m) => m.header.msg_type !== 'execute_request');
      for (const m of this.waiting) if (m.header.msg_type === 'execute_request') this.hooks.abort(m);
      this.waiting.splice(0, this.waiting.length, ...kept);
    }
    this.pump();
  }

  private pump(): void {
    while (this.running === undefined) {
      const next = this.waiting.shift();
      if (next === undefined) return;
      if (next.header.msg_type === 'kernel_info_request') this.hooks.answerHere(next);
      else if (isSessionMessage(next)) {
        this.running = next;
        this.hooks.dispatch(next);
      } else this.hooks.unsupported(next);
    }
  }
}
