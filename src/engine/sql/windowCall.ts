/**
 * Finds the window table function call — TUMBLE(source, time, size [, offset]),
 * HOP(source, time, slide, size [, offset]), CUMULATE(source, time, step, max_size [, offset]) or
 * SESSION(source [PARTITION BY key, ...], time, gap) — in a SQL statement and replaces it with a
 * placeholder relation, keeping the rest of the statement for DuckDB to parse.
 */
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration } from '../duration.js';
import type { WindowSpec } from '../plan/types.js';
import { caretAt, identifierOf, stringValue, tokenize, type Token } from './tokenize.js';

/** Stands for the windowed relation in the rewritten statement; the executor substitutes a view. */
export const WINDOWED_PLACEHOLDER = '__windowpane_windowed__';

export interface WindowCall {
  readonly sourceName: string;
  readonly window: WindowSpec;
  /** The statement with the call replaced by WINDOWED_PLACEHOLDER (aliased to the source name). */
  readonly rewritten: string;
}

const WINDOW_FN = /^(tumble|hop|cumulate|session)$/i;

const NOT_ALIAS = new Set(['where', 'group', 'order', 'having', 'limit', 'offset', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'positional', 'asof', 'anti', 'semi', 'on', 'using', 'window', 'qualify', 'union', 'except', 'intersect', 'sample', 'tablesample', 'using']);

export function findWindowCall(sql: string): WindowCall {
  const tokens = tokenize(sql);
  const code = tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const at = code.findIndex((t, i) => t.kind === 'word' && WINDOW_FN.test(t.text) && code[i + 1]?.kind === 'lparen');
  if (at < 0) throw new QueryError('no-window', messages.noWindowCall(sql), { context: { sql } });
  const fn = code[at]!.text.toUpperCase() as 'TUMBLE' | 'HOP' | 'CUMULATE' | 'SESSION';
  // 1. split the arguments at top-level commas up to the matching ')'
  const args: Token[][] = [[]];
  let depth = 0;
  let close = -1;
  for (let i = at + 2; i < code.length; i++) {
    const t = code[i]!;
    if (t.kind === 'lparen') depth++;
    if (t.kind === 'rparen') {
      if (depth === 0) {
        close = i;
        break;
      }
      depth--;
    }
    if (t.kind === 'comma' && depth === 0) args.push([]);
    else args[args.length - 1]!.push(t);
  }
  const callStart = code[at]!.start;
  const fail = (why: string, from = callStart, to = callStart + fn.length): never => {
    const { line, caret } = caretAt(sql, from, to);
    throw new QueryError('bad-window-call', messages.badWindowCall(fn, why, line, caret), { context: { sql } });
  };
  if (close < 0) return fail('the call has no closing parenthesis');
  const callEnd = code[close]!.end;
  const want = fn === 'TUMBLE' ? [3, 4] : fn === 'SESSION' ? [3, Number.POSITIVE_INFINITY] : [4, 5];
  if (args.length < want[0]! || args.length > want[1]!) {
    const usage = fn === 'SESSION' ? 'SESSION takes (source [PARTITION BY key, ...], time column, gap)' : `${fn} takes ${want[0]} arguments (or ${want[1]} with an offset)`;
    return fail(`${usage}, got ${args.length}`, callStart, callEnd);
  }
  // 2. source and time column are identifiers; sizes are duration literals
  const ident = (arg: Token[], what: string): string => {
    const t = arg[0];
    if (arg.length !== 1 || !t || (t.kind !== 'word' && t.kind !== 'quoted')) {
      return fail(`the ${what} must be a plain name`, arg[0]?.start ?? callStart, arg[arg.length - 1]?.end ?? callEnd);
    }
    return identifierOf(t);
  };
  const duration = (arg: Token[], what: string): number => {
    const text = sql.slice(arg[0]?.start ?? callStart, arg[arg.length - 1]?.end ?? callEnd);
    const str = arg.length === 1 && arg[0]!.kind === 'string' ? stringValue(arg[0]!) : text;
    try {
      return parseDuration(/^\d+$/.test(str) ? Number(str) : str, what);
    } catch {
      return fail(`the ${what} ${text} is not a duration like '1 hour' or INTERVAL '5 minutes'`, arg[0]?.start ?? callStart, arg[arg.length - 1]?.end ?? callEnd);
    }
  };
  // SESSION's first argument may carry PARTITION BY: `events PARTITION BY device, region, ts, gap`
  const partitionBy: string[] = [];
  if (fn === 'SESSION') {
    const first = args[0]!;
    const pi = first.findIndex((t) => t.kind === 'word' && /^partition$/i.test(t.text));
    if (pi >= 0) {
      if (!/^by$/i.test(first[pi + 1]?.text ?? '')) return fail('write PARTITION BY followed by key columns', first[pi]!.start, first[pi]!.end);
      args[0] = first.slice(0, pi);
      args.splice(1, 0, first.slice(pi + 2));
      for (const key of args.splice(1, args.length - 3)) partitionBy.push(ident(key, 'partition key'));
    } else if (args.length !== 3) return fail('SESSION takes (source [PARTITION BY key, ...], time column, gap)', callStart, callEnd);
  }
  const sourceName = ident(args[0]!, 'source');
  const timeColumn = ident(args[1]!, 'time column');
  let window: WindowSpec;
  if (fn === 'SESSION') {
    const gapMs = duration(args[2]!, 'session gap');
    if (gapMs <= 0) return fail('the session gap must be positive', callStart, callEnd);
    window = { kind: 'session', timeColumn, gapMs, partitionBy };
  } else if (fn === 'CUMULATE') {
    const stepMs = duration(args[2]!, 'window step');
    const sizeMs = duration(args[3]!, 'window max size');
    const offsetMs = args[4] ? duration(args[4], 'window offset') : 0;
    if (sizeMs <= 0 || stepMs <= 0) return fail('the window step and max size must be positive', callStart, callEnd);
    if (sizeMs % stepMs !== 0) return fail(`the max size (${sizeMs} ms) must be a whole multiple of the step (${stepMs} ms)`, callStart, callEnd);
    window = { kind: 'cumulate', timeColumn, stepMs, sizeMs, offsetMs };
  } else if (fn === 'TUMBLE') {
    const sizeMs = duration(args[2]!, 'window size');
    const offsetMs = args[3] ? duration(args[3], 'window offset') : 0;
    if (sizeMs <= 0) return fail('the window size must be positive', callStart, callEnd);
    window = { kind: 'tumble', timeColumn, sizeMs, offsetMs };
  } else {
    const slideMs = duration(args[2]!, 'window slide');
    const sizeMs = duration(args[3]!, 'window size');
    const offsetMs = args[4] ? duration(args[4], 'window offset') : 0;
    if (sizeMs <= 0 || slideMs <= 0) return fail('the window size and slide must be positive', callStart, callEnd);
    window = { kind: 'hop', timeColumn, sizeMs, slideMs, offsetMs };
  }
  // 3. replace the call, keeping the user's alias or naming it after the source
  const after = code[close + 1];
  const hasAlias = after !== undefined && (after.kind === 'quoted' || (after.kind === 'word' && !NOT_ALIAS.has(after.text.toLowerCase())));
  const replacement = hasAlias ? WINDOWED_PLACEHOLDER : `${WINDOWED_PLACEHOLDER} AS "${sourceName.replace(/"/g, '""')}"`;
  const rewritten = sql.slice(0, callStart) + replacement + sql.slice(callEnd);
  if (tokenize(rewritten).some((t, i, all) => t.kind === 'word' && WINDOW_FN.test(t.text) && all.slice(i + 1).find((u) => u.kind !== 'space')?.kind === 'lparen')) {
    return fail('a query may use one window call only');
  }
  return { sourceName, window, rewritten };
}
