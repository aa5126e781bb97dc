/**
 * The boundary between the protocol layer (kernel/protocol, kernel/main.ts: ZeroMQ sockets, message
 * handlers) and the TypeScript session (kernel/session: compiling and running cells, completion,
 * inspection). The protocol layer creates one ExecutionContext per execute_request and passes it to
 * Session.execute; everything a cell prints or displays, now or later from background work it started
 * (a live query), goes to that context, which sends it with that request's parent header.
 */

/** A MIME bundle: { 'text/plain': '...', 'text/html': '...', 'image/png': base64, ... }. */
export type MimeBundle = Record<string, unknown>;

export interface DisplayOptions {
  /** display_id (sent in `transient`); required when `update` is true. */
  readonly displayId?: string;
  /** Send update_display_data instead of display_data. */
  readonly update?: boolean;
  readonly metadata?: Record<string, unknown>;
}

/** Where one execution's output goes. Implemented by the protocol layer. */
export interface ExecutionContext {
  /** The execute_request's msg_id, for logs. */
  readonly id: string;
  readonly executionCount: number;
  /** Aborted when the user interrupts this execution (interrupt_request or SIGINT). */
  readonly signal: AbortSignal;
  /** Whether the frontend accepts input_request (execute_request.allow_stdin). */
  readonly allowStdin: boolean;
  stream(name: 'stdout' | 'stderr', text: string): void;
  display(data: MimeBundle, options?: DisplayOptions): void;
  clearOutput(wait: boolean): void;
  /** Sends input_request on stdin and resolves with the reply's value. Rejects when !allowStdin. */
  input(prompt: string, password: boolean): Promise<string>;
}

export type ExecuteOutcome =
  | { readonly status: 'ok'; readonly result?: MimeBundle }
  | { readonly status: 'error'; readonly ename: string; readonly evalue: string; readonly traceback: readonly string[] };

export interface CompleteResult {
  readonly matches: readonly string[];
  readonly cursorStart: number;
  readonly cursorEnd: number;
  /** Optional per-match type info (sent as metadata._jupyter_types_experimental). */
  readonly types?: readonly { readonly text: string; readonly type: string; readonly start: number; readonly end: number; readonly signature?: string }[];
}

export interface InspectResult {
  readonly found: boolean;
  readonly data: MimeBundle;
}

export type IsCompleteResult = { readonly status: 'complete' | 'invalid' | 'unknown' } | { readonly status: 'incomplete'; readonly indent: string };

/** Extra names the protocol layer puts in every cell's scope (for example the comm API). */
export type SessionGlobals = Record<string, unknown>;

export interface SessionOptions {
  /** Folder that relative imports and `require` resolve from (the notebook's folder). */
  readonly cwd: string;
  /**
   * 'warn' (default): the cell runs at once and its type errors follow on stderr when the checker
   * has them; 'error': the cell waits for its check and fails on a type error; 'ignore': no check.
   */
  readonly typeErrors?: 'warn' | 'error' | 'ignore';
  readonly globals?: SessionGlobals;
}

export interface Session {
  /**
   * Compiles and runs one cell with top-level await. Resolves when the cell's top-level code
   * finished (or failed, or was interrupted); background work it started keeps its context.
   * `result` is the MIME bundle of the value of the cell's last expression, if any.
   */
  execute(code: string, context: ExecutionContext): Promise<ExecuteOutcome>;
  /** Evaluates expressions for execute_request.user_expressions, in the session's scope. */
  evaluate(expressions: Record<string, string>): Promise<Record<string, ExecuteOutcome>>;
  /** Answers at once: from the type checker when it is warm, else from the live objects. */
  complete(code: string, cursorPos: number): Promise<CompleteResult>;
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectResult>;
  isComplete(code: string): IsCompleteResult;
  /** Resolves when the type checker has warmed up in its thread (or could not start). */
  typeCheckerReady(): Promise<void>;
  /** Releases resources (language service, pending timers of the session itself). */
  dispose(): Promise<void>;
}
