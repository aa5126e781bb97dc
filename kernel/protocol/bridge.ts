import type { ConnectionInfo } from './connection.js';
import type { AnyMessage, SessionMessage } from './messages.js';
import type { Header } from './wire.js';

/**
 * What the I/O thread (io-thread.ts, a worker that owns every socket) and the main thread (which
 * runs the session) tell each other over the worker's MessagePort. One port, so the order of
 * output and replies is the order the main thread produced them.
 */
export type ToMain =
  /** Sockets are bound; `sigint` says whether this thread listens for SIGINT. */
  | { readonly kind: 'ready'; readonly sigint: boolean }
  /** A shell request for the session; the next one comes after `done`. */
  | { readonly kind: 'request'; readonly message: SessionMessage }
  /** An input_reply on stdin. */
  | { readonly kind: 'input-reply'; readonly message: AnyMessage }
  /** An interrupt came: answer interrupt-ack at once if this thread is free (it is not running JavaScript). */
  | { readonly kind: 'interrupt'; readonly id: number }
  /**
   * Abort the signal of an execution (`target`, the execute_request's msg_id; none when only
   * background work was running): after an acknowledged interrupt, the execution that was running
   * when it came; after a terminated one, the execution whose JavaScript was terminated.
   */
  | { readonly kind: 'abort'; readonly target: string | undefined }
  /** shutdown_request: release the session, then answer shutdown-ready. */
  | { readonly kind: 'shutdown'; readonly restart: boolean };

export type OutChannel = 'shell' | 'iopub' | 'stdin' | 'control';

export interface SendOptions {
  readonly ids?: readonly Uint8Array[];
  readonly metadata?: Record<string, unknown>;
  readonly buffers?: readonly Uint8Array[];
}

export type ToWorker =
  | { readonly kind: 'send'; readonly channel: OutChannel; readonly msgType: string; readonly content: unknown; readonly parent: Header | null; readonly options: SendOptions }
  /** The current shell request is finished; `abortQueue` aborts queued execute_requests (stop_on_error). */
  | { readonly kind: 'done'; readonly abortQueue: boolean }
  /** The session is loaded: from now on a busy main thread is running cells, which may be terminated. */
  | { readonly kind: 'session-ready' }
  /** The main thread started running this execute_request's code (interrupts target it from now on). */
  | { readonly kind: 'started'; readonly msgId: string }
  | { readonly kind: 'interrupt-ack'; readonly id: number }
  | { readonly kind: 'shutdown-ready' };

/** Sent from the main thread to the worker once at start, in workerData. */
export interface WorkerConfig {
  readonly connection: ConnectionInfo;
  readonly kernelInfo: Record<string, unknown>;
  /** How long the main thread may take to acknowledge an interrupt before its JavaScript is terminated. */
  readonly interruptGraceMs: number;
  /** The main thread's internal-work counter (kernel/internal-work.ts): never terminate inside it. */
  readonly internalWork: SharedArrayBuffer;
}
