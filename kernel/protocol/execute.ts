import type { ExecuteOutcome, MimeBundle, Session } from '../session/types.js';
import { setLatestExecution } from '../session/context.js';
import { messages } from '../../src/messages.js';
import { KernelExecutionContext } from './execution-context.js';
import type { History } from './history.js';
import type { IoClient } from './io-client.js';
import type { Message } from './messages.js';
import type { StdinBroker } from './stdin.js';

export interface ExecuteState {
  readonly io: IoClient;
  readonly session: Session;
  readonly history: History;
  readonly stdin: StdinBroker;
  executionCount: number;
  /** The execution being run, for interrupts. */
  current: KernelExecutionContext | undefined;
}

export const INTERRUPTED_ENAME = 'KeyboardInterrupt';

function interrupted(): ExecuteOutcome {
  const evalue = messages.kernelInterrupted();
  return { status: 'error', ename: INTERRUPTED_ENAME, evalue, traceback: [`${INTERRUPTED_ENAME}: ${evalue}`] };
}

function failed(e: unknown): ExecuteOutcome {
  const err = e instanceof Error ? e : new Error(String(e));
  return { status: 'error', ename: err.name, evalue: err.message, traceback: (err.stack ?? `${err.name}: ${err.message}`).split('\n') };
}

/**
 * Runs the cell, settling when the session does or when the execution is interrupted. The session
 * is entered from a fresh macrotask: if the I/O thread terminates a busy loop, only that task's
 * stack unwinds, and this promise still settles through the abort listener.
 */
function run(state: ExecuteState, code: string, ctx: KernelExecutionContext): Promise<ExecuteOutcome> {
  return new Promise<ExecuteOutcome>((resolve) => {
    ctx.signal.addEventListener('abort', () => resolve(interrupted()), { once: true });
    setImmediate(() => {
      if (ctx.signal.aborted) return;
      state.session.execute(code, ctx).then(resolve, (e: unknown) => resolve(failed(e)));
    });
  });
}

function plainText(result: MimeBundle | undefined): string | null {
  const t = result?.['text/plain'];
  return typeof t === 'string' ? t : null;
}

/** execute_request: execute_input, the cell's output, execute_result or error, execute_reply. Returns whether to abort the queue. */
export async function execute(state: ExecuteState, msg: Message<'execute_request'>): Promise<boolean> {
  const { code, silent, store_history, user_expressions, allow_stdin, stop_on_error } = msg.content;
  if (store_history) state.executionCount++;
  const count = state.executionCount;
  const { io } = state;
  if (!silent) io.send('iopub', 'execute_input', { code, execution_count: count }, msg.header);

  const ctx = new KernelExecutionContext(msg.header, msg.ids, count, allow_stdin, io, state.stdin);
  state.current = ctx;
  io.started(ctx.id);
  setLatestExecution(ctx);
  const outcome = await run(state, code, ctx);
  state.current = undefined;

  if (outcome.status === 'ok' && outcome.result !== undefined && !silent) {
    io.send('iopub', 'execute_result', { execution_count: count, data: outcome.result, metadata: {} }, msg.header);
  }
  if (outcome.status === 'error') {
    io.send('iopub', 'error', { ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback }, msg.header);
  }
  if (store_history) state.history.add(count, code, outcome.status === 'ok' ? plainText(outcome.result) : null);

  let reply: Record<string, unknown>;
  if (outcome.status === 'ok') {
    reply = { status: 'ok', execution_count: count, payload: [], user_expressions: await userExpressions(state.session, user_expressions) };
  } else {
    reply = { status: 'error', execution_count: count, ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback };
  }
  io.send(msg.channel === 'control' ? 'control' : 'shell', 'execute_reply', reply, msg.header, { ids: msg.ids, metadata: { status: reply.status } });
  return outcome.status === 'error' && stop_on_error;
}

async function userExpressions(session: Session, expressions: Record<string, string>): Promise<Record<string, unknown>> {
  if (Object.keys(expressions).length === 0) return {};
  let outcomes: Record<string, ExecuteOutcome>;
  try {
    outcomes = await session.evaluate(expressions);
  } catch (e) {
    const f = failed(e);
    return Object.fromEntries(Object.keys(expressions).map((k) => [k, f]));
  }
  const out: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(outcomes)) {
    out[name] = o.status === 'ok' ? { status: 'ok', data: o.result ?? { 'text/plain': 'undefined' }, metadata: {} } : { status: 'error', ename: o.ename, evalue: o.evalue, traceback: o.traceback };
  }
  return out;
}
