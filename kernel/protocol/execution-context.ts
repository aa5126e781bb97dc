import type { DisplayOptions, ExecutionContext, MimeBundle } from '../session/types.js';
import { KernelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import type { IoClient } from './io-client.js';
import type { StdinBroker } from './stdin.js';
import type { Header } from './wire.js';

/**
 * Where one request's output goes: every message carries the request's header as its parent, so
 * output from work a cell started keeps going to that cell after later cells have run.
 */
export class KernelExecutionContext implements ExecutionContext {
  readonly controller = new AbortController();

  constructor(
    readonly parent: Header,
    readonly ids: readonly Uint8Array[],
    readonly executionCount: number,
    readonly allowStdin: boolean,
    private readonly io: IoClient,
    private readonly stdin: StdinBroker,
  ) {}

  get id(): string {
    return this.parent.msg_id;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  interrupt(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new KernelError('interrupted', messages.kernelInterrupted()));
  }

  stream(name: 'stdout' | 'stderr', text: string): void {
    if (text !== '') this.io.send('iopub', 'stream', { name, text }, this.parent);
  }

  display(data: MimeBundle, options: DisplayOptions = {}): void {
    const transient = options.displayId === undefined ? {} : { display_id: options.displayId };
    this.io.send('iopub', options.update ? 'update_display_data' : 'display_data', { data, metadata: options.metadata ?? {}, transient }, this.parent);
  }

  clearOutput(wait: boolean): void {
    this.io.send('iopub', 'clear_output', { wait }, this.parent);
  }

  input(prompt: string, password: boolean): Promise<string> {
    if (!this.allowStdin) return Promise.reject(new KernelError('stdin-not-allowed', messages.kernelStdinNotAllowed()));
    return this.stdin.request(this, prompt, password);
  }
}
