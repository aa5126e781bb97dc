import type { Kernel, KernelMessage } from '@jupyterlab/services';

export interface Ran {
  readonly reply: KernelMessage.IExecuteReplyMsg['content'];
  readonly iopub: KernelMessage.IIOPubMessage[];
  readonly msgId: string;
}

/** Executes a cell and collects its IOPub messages until idle; `onInput` answers input_request. */
export async function run(kernel: Kernel.IKernelConnection, code: string, options: { onInput?: (prompt: string) => string; stopOnError?: boolean } = {}): Promise<Ran> {
  const iopub: KernelMessage.IIOPubMessage[] = [];
  const future = kernel.requestExecute({ code, allow_stdin: options.onInput !== undefined, stop_on_error: options.stopOnError ?? true });
  future.onIOPub = (m) => void iopub.push(m);
  if (options.onInput) {
    const answer = options.onInput;
    future.onStdin = (m) => {
      if (m.header.msg_type === 'input_request') future.sendInputReply({ status: 'ok', value: answer((m.content as { prompt: string }).prompt) }, m.header as KernelMessage.IInputReplyMsg['parent_header']);
    };
  }
  const reply = await future.done;
  return { reply: reply.content, iopub, msgId: future.msg.header.msg_id };
}

export function text(r: Ran, name: 'stdout' | 'stderr' = 'stdout'): string {
  return r.iopub
    .filter((m) => m.header.msg_type === 'stream' && (m.content as { name: string }).name === name)
    .map((m) => (m.content as { text: string }).text)
    .join('');
}

export function result(r: Ran): string | undefined {
  const m = r.iopub.find((x) => x.header.msg_type === 'execute_result');
  return m ? ((m.content as { data: Record<string, string> }).data['text/plain'] ?? undefined) : undefined;
}

/** Resolves with the first IOPub message (any parent) that matches. */
export function nextIOPub(kernel: Kernel.IKernelConnection, match: (m: KernelMessage.IIOPubMessage) => boolean): Promise<KernelMessage.IIOPubMessage> {
  return new Promise((resolve) => {
    const on = (_: unknown, m: KernelMessage.IIOPubMessage) => {
      if (match(m)) {
        kernel.iopubMessage.disconnect(on);
        resolve(m);
      }
    };
    kernel.iopubMessage.connect(on);
  });
}

/** Resolves when the kernel reports status busy for the given request. */
export function busyFor(kernel: Kernel.IKernelConnection, msgId: string): Promise<unknown> {
  return nextIOPub(kernel, (m) => m.header.msg_type === 'status' && (m.parent_header as { msg_id?: string }).msg_id === msgId && (m.content as { execution_state: string }).execution_state === 'busy');
}
