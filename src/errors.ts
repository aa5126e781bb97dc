/**
 * The error hierarchy. Every error a user can meet is a WindowpaneError: a stable `code` from the
 * code table (errorCodes.ts), whether a retry can help (`retriable`, read from that table), the
 * `cause`, and context (cell, SQL, topic, partition, offset...) that names the thing at fault. The
 * message text itself comes from the catalogue in messages.ts.
 */
import { ERROR_CODES, type ErrorCode, type ErrorCodeInfo } from './errorCodes.js';
import { messages } from './messages.js';

export { ERROR_CODES, isErrorCode, type ErrorCode, type ErrorCodeInfo } from './errorCodes.js';

/** What the error is about, where known; other keys name other things (a path, an option...). */
export interface ErrorContext {
  readonly cell?: number;
  readonly sql?: string;
  readonly source?: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
  readonly broker?: string;
  readonly [key: string]: string | number | boolean | undefined;
}

export interface WindowpaneErrorOptions {
  readonly cause?: unknown;
  readonly context?: ErrorContext;
}

export class WindowpaneError extends Error {
  override readonly name: string = 'WindowpaneError';
  readonly code: ErrorCode;
  /** Whether running the same call again may succeed; retries read this and nothing else. */
  readonly retriable: boolean;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: WindowpaneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    // undefined only for a code from untyped JavaScript (or a cell run despite its type errors)
    const info: ErrorCodeInfo | undefined = ERROR_CODES[code];
    const retriable = info?.retriable ?? false;
    this.retriable = retriable === 'cause' ? isWindowpaneError(options.cause) && options.cause.retriable : retriable;
    this.context = options.context ?? {};
  }
}

/** A bad option, argument or configuration value: fix the call, then retry. */
export class ConfigError extends WindowpaneError {
  override readonly name = 'ConfigError';
}

/** A required program or service is missing or unreachable (Java, Maven, a broker, a server). */
export class EnvironmentError extends WindowpaneError {
  override readonly name: string = 'EnvironmentError';
}

/** The Kafka cluster cannot be reached, did not answer in time, or refused a request (src/kafka/errors.ts). */
export class KafkaError extends EnvironmentError {
  override readonly name = 'KafkaError';
}

/** The local Kafka broker failed to start, stop or answer. */
export class BrokerError extends WindowpaneError {
  override readonly name = 'BrokerError';
}

/** A query that cannot be planned: bad SQL, an unknown column, an unsupported construct. */
export class QueryError extends WindowpaneError {
  override readonly name = 'QueryError';
}

/** A source that cannot be read: a missing file or topic, a schema mismatch. */
export class SourceError extends WindowpaneError {
  override readonly name = 'SourceError';
}

/** The kernel could not serve a request: an interrupted cell, a prompt the frontend cannot answer. */
export class KernelError extends WindowpaneError {
  override readonly name = 'KernelError';
}

/** A notebook that cannot be run to the end: a bad .ipynb, a failing cell, a timeout, a dead kernel. */
export class NotebookError extends WindowpaneError {
  override readonly name = 'NotebookError';
}

/** A chart that cannot be drawn: a bad Vega-Lite spec, a bad chart option, a source it cannot read. */
export class ChartError extends WindowpaneError {
  override readonly name = 'ChartError';
}

/** A sink that cannot be written: a missing topic, a folder that is not writable, a table of another shape. */
export class SinkError extends WindowpaneError {
  override readonly name = 'SinkError';
}

/** A query ran out of memory or spill space: raise the limit, or keep less in the query. */
export class ResourceError extends WindowpaneError {
  override readonly name = 'ResourceError';
}

/** A broken invariant (a case the types rule out, a call out of order): a bug in windowpane. */
export class InternalError extends WindowpaneError {
  override readonly name = 'InternalError';

  constructor(what: string, options: WindowpaneErrorOptions = {}) {
    super('internal', messages.internal(what), options);
  }
}

/** A query's failure as an Error: itself when it is one, else a QueryError that quotes the thrown value. */
export function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  let shown: string;
  try {
    shown = JSON.stringify(e) ?? String(e);
  } catch {
    shown = String(e);
  }
  return new QueryError('thrown-value', messages.thrownValue(shown), { cause: e });
}

export function isWindowpaneError(e: unknown): e is WindowpaneError {
  return e instanceof WindowpaneError;
}

/** The message of any thrown value, for logs and CLI output. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The Flink cluster or its SQL Gateway failed: a process that does not start, a gateway that does not answer, a statement or job that fails. */
export class FlinkError extends WindowpaneError {
  override readonly name = 'FlinkError';
}
