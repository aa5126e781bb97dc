import { executionStore } from '../session/context.js';
import type { CommManager } from '../comm/manager.js';
import { execute, type ExecuteState } from './execute.js';
import { KernelExecutionContext } from './execution-context.js';
import type { Message, SessionMessage, SessionMsgType } from './messages.js';

export interface HandlerState extends ExecuteState {
  readonly comms: CommManager;
}

/** A shell request handler on the main thread; resolves to whether queued cells must be aborted. */
type Handler<T extends SessionMsgType> = (state: HandlerState, msg: Message<T>) => Promise<boolean> | boolean;

function reply(state: HandlerState, msg: SessionMessage, msgType: string, content: Record<string, unknown>): false {
  state.io.send(msg.channel === 'control' ? 'control' : 'shell', msgType, content, msg.header, { ids: msg.ids });
  return false;
}

/** Runs comm handlers as part of the request, so what they print goes to it. */
function inRequest(state: HandlerState, msg: SessionMessage, run: () => void): false {
  const ctx = new KernelExecutionContext(msg.header, msg.ids, state.executionCount, false, state.io, state.stdin);
  executionStore.run(ctx, run);
  return false;
}

const handlers: { [T in SessionMsgType]: Handler<T> } = {
  execute_request: (state, msg) => execute(state, msg),
  complete_request: async (state, msg) => {
    const r = await state.session.complete(msg.content.code, msg.content.cursor_pos);
    const metadata = r.types ? { _jupyter_types_experimental: r.types } : {};
    return reply(state, msg, 'complete_reply', { status: 'ok', matches: r.matches, cursor_start: r.cursorStart, cursor_end: r.cursorEnd, metadata });
  },
  inspect_request: async (state, msg) => {
    const r = await state.session.inspect(msg.content.code, msg.content.cursor_pos, msg.content.detail_level);
    return reply(state, msg, 'inspect_reply', { status: 'ok', found: r.found, data: r.found ? r.data : {}, metadata: {} });
  },
  is_complete_request: (state, msg) => reply(state, msg, 'is_complete_reply', { ...state.session.isComplete(msg.content.code) }),
  history_request: (state, msg) => reply(state, msg, 'history_reply', { status: 'ok', history: state.history.query(msg.content) }),
  comm_info_request: (state, msg) => reply(state, msg, 'comm_info_reply', { status: 'ok', comms: state.comms.info(msg.content.target_name) }),
  comm_open: (state, msg) => inRequest(state, msg, () => state.comms.handleOpen(msg)),
  comm_msg: (state, msg) => inRequest(state, msg, () => state.comms.handleMsg(msg)),
  comm_close: (state, msg) => inRequest(state, msg, () => state.comms.handleClose(msg)),
};

/** Serves one request; a handler that throws gets an error reply rather than a silent kernel. */
export async function handle(state: HandlerState, msg: SessionMessage): Promise<boolean> {
  const handler = handlers[msg.header.msg_type] as Handler<SessionMsgType>;
  try {
    return await handler(state, msg);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const type = msg.header.msg_type;
    if (type.endsWith('_request')) reply(state, msg, type.replace(/_request$/, '_reply'), { status: 'error', ename: err.name, evalue: err.message, traceback: (err.stack ?? err.message).split('\n') });
    else process.stderr.write(`windowpane kernel: ${type} failed: ${err.stack ?? err.message}\n`);
    return false;
  }
}
