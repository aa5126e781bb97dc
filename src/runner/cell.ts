/**
 * Executes one cell and says how it ended: a reply (ok or error), a timeout, a dead kernel, or an
 * abort. On a timeout or an abort the kernel is interrupted, and the runner waits a little for the
 * interrupted cell's own reply so that its traceback reaches the notebook too.
 */
import type { KernelMessage } from '@jupyterlab/services';
import type { StartedKernel } from './kernel.js';

export type CellEnd =
  | { readonly kind: 'ok'; readonly executionCount: number | null }
  | { readonly kind: 'error'; readonly executionCount: number | null; readonly ename: string; readonly evalue: string; readonly traceback: readonly string[] }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'dead'; readonly reason: string }
  | { readonly kind: 'aborted' };

export interface CellRun {
  readonly code: string;
  /** Milliseconds the cell may take; undefined for no limit. */
  readonly budgetMs: number | undefined;
  readonly signal?: AbortSignal;
  readonly silent?: boolean;
  /** Called with the execute_request's msg_id before any of its output can arrive. */
  readonly onRequest?: (msgId: string) => void;
}

const INTERRUPT_GRACE_MS = 10_000;

export async function executeCell(kernel: StartedKernel, run: CellRun): Promise<CellEnd> {
  if (kernel.watch.reason !== undefined) return { kind: 'dead', reason: kernel.watch.reason };
  const future = kernel.connection.requestExecute(
    { code: run.code, silent: run.silent ?? false, store_history: !(run.silent ?? false), allow_stdin: false, stop_on_error: true },
    true,
  );
  run.onRequest?.(future.msg.header.msg_id);

  type Race = { readonly kind: 'reply'; readonly reply: KernelMessage.IExecuteReplyMsg } | { readonly kind: 'failed' } | CellEnd;
  const timers: NodeJS.Timeout[] = [];
  const racers: Promise<Race>[] = [
    future.done.then((reply): Race => ({ kind: 'reply', reply }), (): Race => ({ kind: 'failed' })),
    kernel.watch.died.then((reason): Race => ({ kind: 'dead', reason })),
  ];
  if (run.budgetMs !== undefined) racers.push(new Promise((resolve) => timers.push(setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, run.budgetMs!)))));
  let onAbort: (() => void) | undefined;
  if (run.signal) {
    const signal = run.signal;
    racers.push(new Promise((resolve) => {
      onAbort = () => resolve({ kind: 'aborted' });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }));
  }
  const first = await Promise.race(racers);
  for (const t of timers) clearTimeout(t);
  if (onAbort) run.signal?.removeEventListener('abort', onAbort);

  switch (first.kind) {
    case 'reply':
      return fromReply(first.reply);
    case 'failed':
      // The future is cancelled when the kernel restarts; the watch says why, a moment later.
      await Promise.race([kernel.watch.died, new Promise((r) => setImmediate(r))]);
      return { kind: 'dead', reason: kernel.watch.reason ?? 'the execute request was cancelled (kernel restarted or connection lost)' };
    case 'timeout':
    case 'aborted':
      await interrupt(kernel, future.done);
      return first;
    case 'ok':
    case 'error':
    case 'dead':
      return first;
  }
}

function fromReply(reply: KernelMessage.IExecuteReplyMsg): CellEnd {
  const c = reply.content;
  const executionCount = typeof c.execution_count === 'number' ? c.execution_count : null;
  if (c.status === 'ok') return { kind: 'ok', executionCount };
  if (c.status === 'error') return { kind: 'error', executionCount, ename: c.ename, evalue: c.evalue, traceback: c.traceback };
  return { kind: 'error', executionCount, ename: 'Aborted', evalue: 'the kernel aborted the execution', traceback: [] };
}

async function interrupt(kernel: StartedKernel, done: Promise<unknown>): Promise<void> {
  if (kernel.watch.reason !== undefined) return;
  await kernel.connection.interrupt().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done.catch(() => undefined), kernel.watch.died, new Promise((r) => (timer = setTimeout(r, INTERRUPT_GRACE_MS)))]);
  clearTimeout(timer);
}
