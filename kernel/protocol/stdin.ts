import { KernelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import type { IoClient } from './io-client.js';
import type { KernelExecutionContext } from './execution-context.js';

/** input_request on stdin and the matching input_reply; an interrupt rejects the pending prompt. */
export class StdinBroker {
  private pending: { resolve: (v: string) => void; reject: (e: Error) => void } | undefined;

  constructor(private readonly io: IoClient) {}

  request(context: KernelExecutionContext, prompt: string, password: boolean): Promise<string> {
    this.pending?.reject(new KernelError('input-replaced', messages.kernelInputReplaced()));
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        this.pending = undefined;
        const reason: unknown = context.signal.reason;
        reject(reason instanceof Error ? reason : new KernelError('interrupted', messages.kernelInterrupted()));
      };
      if (context.signal.aborted) return onAbort();
      context.signal.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        resolve: (v) => {
          context.signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        reject,
      };
      this.io.send('stdin', 'input_request', { prompt, password }, context.parent, { ids: context.ids });
    });
  }

  reply(value: string): void {
    const p = this.pending;
    this.pending = undefined;
    p?.resolve(value);
  }
}
