import type { AnyMessage, MsgType, RequestContents } from './messages.js';
import type { Header, RawMessage } from './wire.js';

/**
 * Validation at the edge: a decoded wire message becomes a typed request, or a reason to drop it.
 * Optional fields get the defaults of the messaging spec.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Invalid extends Error {}

function str(o: Obj, key: string, fallback?: string): string {
  const v = o[key] ?? fallback;
  if (typeof v !== 'string') throw new Invalid(`${key} must be a string`);
  return v;
}
function bool(o: Obj, key: string, fallback: boolean): boolean {
  const v = o[key] ?? fallback;
  if (typeof v !== 'boolean') throw new Invalid(`${key} must be a boolean`);
  return v;
}
function int(o: Obj, key: string, fallback?: number): number {
  const v = o[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Invalid(`${key} must be an integer`);
  return v;
}
function optInt(o: Obj, key: string): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : int(o, key);
}

const contents: { [T in MsgType]: (c: Obj) => RequestContents[T] } = {
  execute_request: (c) => {
    const silent = bool(c, 'silent', false);
    const ue = c.user_expressions ?? {};
    if (!isObj(ue) || !Object.values(ue).every((v) => typeof v === 'string')) throw new Invalid('user_expressions must map names to strings');
    return {
      code: str(c, 'code'),
      silent,
      store_history: silent ? false : bool(c, 'store_history', true),
      user_expressions: ue as Record<string, string>,
      allow_stdin: bool(c, 'allow_stdin', true),
      stop_on_error: bool(c, 'stop_on_error', true),
    };
  },
  kernel_info_request: () => ({}),
  complete_request: (c) => {
    const code = str(c, 'code');
    return { code, cursor_pos: int(c, 'cursor_pos', code.length) };
  },
  inspect_request: (c) => {
    const code = str(c, 'code');
    return { code, cursor_pos: int(c, 'cursor_pos', code.length), detail_level: int(c, 'detail_level', 0) > 0 ? 1 : 0 };
  },
  is_complete_request: (c) => ({ code: str(c, 'code') }),
  history_request: (c) => {
    const type = str(c, 'hist_access_type', 'tail');
    if (type !== 'tail' && type !== 'range' && type !== 'search') throw new Invalid(`unknown hist_access_type ${type}`);
    return {
      output: bool(c, 'output', false),
      raw: bool(c, 'raw', true),
      hist_access_type: type,
      session: int(c, 'session', 0),
      start: int(c, 'start', 0),
      stop: optInt(c, 'stop'),
      n: optInt(c, 'n'),
      pattern: str(c, 'pattern', '*'),
      unique: bool(c, 'unique', false),
    };
  },
  comm_info_request: (c) => (c.target_name === undefined || c.target_name === null ? {} : { target_name: str(c, 'target_name') }),
  comm_open: (c) => ({ comm_id: str(c, 'comm_id'), target_name: str(c, 'target_name'), data: c.data ?? {} }),
  comm_msg: (c) => ({ comm_id: str(c, 'comm_id'), data: c.data ?? {} }),
  comm_close: (c) => ({ comm_id: str(c, 'comm_id'), data: c.data ?? {} }),
  interrupt_request: () => ({}),
  shutdown_request: (c) => ({ restart: bool(c, 'restart', false) }),
  input_reply: (c) => ({ value: str(c, 'value', '') }),
};

function header(h: unknown, what: string): Header {
  if (!isObj(h)) throw new Invalid(`${what} is not an object`);
  for (const k of ['msg_id', 'msg_type'] as const) if (typeof h[k] !== 'string') throw new Invalid(`${what}.${k} must be a string`);
  return {
    msg_id: h.msg_id as string,
    msg_type: h.msg_type as string,
    session: typeof h.session === 'string' ? h.session : '',
    username: typeof h.username === 'string' ? h.username : '',
    date: typeof h.date === 'string' ? h.date : '',
    version: typeof h.version === 'string' ? h.version : '5.0',
  };
}

export type Validated = { readonly ok: true; readonly message: AnyMessage } | { readonly ok: false; readonly reason: string };

export function validate(raw: RawMessage, channel: 'shell' | 'control' | 'stdin'): Validated {
  try {
    const h = header(raw.header, 'header');
    if (!Object.hasOwn(contents, h.msg_type)) return { ok: false, reason: `unsupported msg_type ${h.msg_type}` };
    const type = h.msg_type as MsgType;
    if (!isObj(raw.content)) throw new Invalid('content is not an object');
    const parent = isObj(raw.parent_header) && typeof raw.parent_header.msg_id === 'string' ? header(raw.parent_header, 'parent_header') : {};
    const metadata = isObj(raw.metadata) ? raw.metadata : {};
    const content = contents[type](raw.content);
    const message = { channel, ids: raw.ids, header: h, parent_header: parent, metadata, content, buffers: raw.buffers } as AnyMessage;
    return { ok: true, message };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}
