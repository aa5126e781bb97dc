import type { Header } from './wire.js';

/**
 * Jupyter messaging 5.3 requests the kernel accepts, keyed by literal msg_type. Each request's
 * content has its defaults filled in by validate.ts, so handlers never see missing fields.
 */
export interface RequestContents {
  execute_request: ExecuteRequest;
  kernel_info_request: Record<string, never>;
  complete_request: { readonly code: string; readonly cursor_pos: number };
  inspect_request: { readonly code: string; readonly cursor_pos: number; readonly detail_level: 0 | 1 };
  is_complete_request: { readonly code: string };
  history_request: HistoryRequest;
  comm_info_request: { readonly target_name?: string };
  comm_open: { readonly comm_id: string; readonly target_name: string; readonly data: unknown };
  comm_msg: { readonly comm_id: string; readonly data: unknown };
  comm_close: { readonly comm_id: string; readonly data: unknown };
  interrupt_request: Record<string, never>;
  shutdown_request: { readonly restart: boolean };
  input_reply: { readonly value: string };
}

export type MsgType = keyof RequestContents;

export interface ExecuteRequest {
  readonly code: string;
  readonly silent: boolean;
  readonly store_history: boolean;
  readonly user_expressions: Record<string, string>;
  readonly allow_stdin: boolean;
  readonly stop_on_error: boolean;
}

export interface HistoryRequest {
  readonly output: boolean;
  readonly raw: boolean;
  readonly hist_access_type: 'tail' | 'range' | 'search';
  readonly session: number;
  readonly start: number;
  readonly stop: number | undefined;
  readonly n: number | undefined;
  readonly pattern: string;
  readonly unique: boolean;
}

/** A validated request. Buffers arrive with comm messages; ids route the reply back. */
export interface Message<T extends MsgType = MsgType> {
  readonly channel: 'shell' | 'control' | 'stdin';
  readonly ids: readonly Uint8Array[];
  readonly header: Header & { readonly msg_type: T };
  readonly parent_header: Header | Record<string, never>;
  readonly metadata: Record<string, unknown>;
  readonly content: RequestContents[T];
  readonly buffers: readonly Uint8Array[];
}

export type AnyMessage = { [T in MsgType]: Message<T> }[MsgType];

/** Requests the main thread handles (the I/O thread answers kernel_info and control itself). */
export const SESSION_REQUESTS = ['execute_request', 'complete_request', 'inspect_request', 'is_complete_request', 'history_request', 'comm_info_request', 'comm_open', 'comm_msg', 'comm_close'] as const;
export type SessionMsgType = (typeof SESSION_REQUESTS)[number];
export type SessionMessage = { [T in SessionMsgType]: Message<T> }[SessionMsgType];

export function isMsgType<T extends MsgType>(msg: AnyMessage, type: T): msg is Extract<AnyMessage, Message<T>> {
  return msg.header.msg_type === type;
}

export function isSessionMessage(msg: AnyMessage): msg is SessionMessage {
  return (SESSION_REQUESTS as readonly string[]).includes(msg.header.msg_type);
}

/** The reply type of a request: execute_request → execute_reply; comm messages have none. */
export function replyType(type: MsgType): string {
  return type.replace(/_request$/, '_reply');
}
