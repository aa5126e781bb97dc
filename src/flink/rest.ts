import { FlinkError } from '../errors.js';
import { messages } from '../messages.js';
import { ReplyShapeError } from './types.js';

export interface RestOptions {
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
}

type Method = 'GET' | 'POST' | 'DELETE';

/**
 * The most useful line of a Flink REST error: Flink sends `{"errors": [message, stack trace]}`,
 * and the root cause (the last "Caused by:") names the problem, e.g. an unknown table.
 */
export function restErrorDetail(body: string): string {
  let errors: unknown;
  try {
    errors = (JSON.parse(body) as { errors?: unknown }).errors;
  } catch {
    return body.trim().slice(0, 500) || '(empty reply)';
  }
  if (!Array.isArray(errors) || errors.length === 0) return body.trim().slice(0, 500);
  const text = errors.map(String).join('\n');
  const causes = [...text.matchAll(/^Caused by: (.+)$/gm)].map((m) => m[1]!.trim());
  const table = causes.filter((c) => /^org\.apache\.flink\.table\.[\w.]*(ValidationException|SqlParserException|TableException|SqlParserEOFException)/.test(c));
  const best = table[0] ?? causes[causes.length - 1] ?? text.split('\n')[0] ?? text;
  return best.replace(/^org\.apache\.flink\.[\w.]+\.(\w+(Exception|Error)): /, '$1: ');
}

/**
 * A socket error's code as the user reads it: the system's codes as they are; undici's own for a
 * connection the other side closed (a gateway that died mid-request) is a reset, as the system says.
 */
function networkReason(code: string | undefined): string | undefined {
  return code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : code;
}

/**
 * One request to the gateway. `what` says what it was for ("open a session"): it goes into every
 * error. A gateway that cannot be reached, an HTTP error and a reply of the wrong shape each become
 * a FlinkError naming the URL.
 */
export async function restCall<T>(base: string, method: Method, path: string, what: string, check: (v: unknown) => asserts v is T, body?: unknown, options: RestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (cause) {
    const c = cause as { name?: string; cause?: { code?: string; message?: string }; message?: string };
    const why = c.name === 'TimeoutError' ? `no answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)}s` : networkReason(c.cause?.code) ?? c.cause?.message ?? c.message ?? String(cause);
    throw new FlinkError('gateway-unreachable', messages.flinkGatewayUnreachable(base, why), { cause, context: { gateway: base } });
  }
  const text = await response.text();
  if (!response.ok) {
    const detail = restErrorDetail(text);
    throw new FlinkError('gateway-refused', messages.flinkGatewayRefused(what, base, response.status, detail), { context: { gateway: base, status: response.status, detail } });
  }
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
    check(value);
  } catch (cause) {
    const why = cause instanceof ReplyShapeError ? cause.message : 'not JSON';
    throw new FlinkError('gateway-reply', messages.flinkGatewayReply(what, base, why), { cause, context: { gateway: base } });
  }
  return value;
}

/** Accepts any reply (for calls whose body does not matter). */
export function anyReply(_v: unknown): asserts _v is unknown {}
