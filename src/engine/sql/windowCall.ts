/**
 * Finds the window table function call — TUMBLE(source, time, size [, offset]),
 * HOP(source, time, slide, size [, offset]), CUMULATE(source, time, step, max_size [, offset]) or
 * SESSION(source [PARTITION BY key, ...], time, gap): the names and argument counts of
 * plan/window.ts's WINDOW_KINDS — in a SQL statement and replaces it with a placeholder relation,
 * keeping the rest of the statement for DuckDB to parse. Flink's form of the same call,
 * TABLE(TUMBLE(TABLE source, DESCRIPTOR(time), INTERVAL '1' HOUR)), reads the same (flinkForm.ts).
 */
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration } from '../duration.js';
import { WINDOW_KINDS, windowKindOfSql, type WindowKind, type WindowKindInfo, type WindowOf, type WindowSpec } from '../plan/window.js';
import { caretAt, identifierOf, stringValue, tokenize, type Token } from './tokenize.js';
import { expandKeyGroup, tableWrapper, withoutDescriptor, withoutTableKeyword } from './flinkForm.js';

/** Stands for the windowed relation in the rewritten statement; the executor substitutes a view. */
export const WINDOWED_PLACEHOLDER = '__windowpane_windowed__';

export interface WindowCall {
  readonly sourceName: string;
  readonly window: WindowSpec;
  /** The statement with the call replaced by WINDOWED_PLACEHOLDER (aliased to the source name). */
  readonly rewritten: string;
}

/** The arguments of a call after source and time column, read as durations; `fail` quotes the call. */
interface CallArgs {
  readonly timeColumn: string;
  readonly partitionBy: readonly string[];
  /** The i-th duration argument (its WINDOW_KINDS sqlArgs name), in ms. */
  duration(i: number, what: string): number;
  /** The optional offset after the duration arguments, 0 when absent. */
  offset(): number;
  fail(why: string): never;
}

/** Per kind: the window spec from the call's arguments, checked. */
const WINDOW_FROM_CALL: { readonly [K in WindowKind]: (a: CallArgs) => WindowOf<K> } = {
  tumble: (a) => {
    const sizeMs = a.duration(0, 'window size');
    const offsetMs = a.offset();
    if (sizeMs <= 0) return a.fail('the window size must be positive');
    return { kind: 'tumble', timeColumn: a.timeColumn, sizeMs, offsetMs };
  },
  hop: (a) => {
    const slideMs = a.duration(0, 'window slide');
    const sizeMs = a.duration(1, 'window size');
    const offsetMs = a.offset();
    if (sizeMs <= 0 || slideMs <= 0) return a.fail('the window size and slide must be positive');
    return { kind: 'hop', timeColumn: a.timeColumn, sizeMs, slideMs, offsetMs };
  },
  cumulate: (a) => {
    const stepMs = a.duration(0, 'window step');
    const sizeMs = a.duration(1, 'window max size');
    const offsetMs = a.offset();
    if (sizeMs <= 0 || stepMs <= 0) return a.fail('the window step and max size must be positive');
    if (sizeMs % stepMs !== 0) return a.fail(`the max size (${sizeMs} ms) must be a whole multiple of the step (${stepMs} ms)`);
    return { kind: 'cumulate', timeColumn: a.timeColumn, stepMs, sizeMs, offsetMs };
  },
  session: (a) => {
    const gapMs = a.duration(0, 'session gap');
    if (gapMs <= 0) return a.fail('the session gap must be positive');
    return { kind: 'session', timeColumn: a.timeColumn, gapMs, partitionBy: a.partitionBy };
  },
};

/** How the call is written, for a message about its argument count. */
function usage(k: WindowKindInfo): string {
  const fixed = 2 + k.sqlArgs.length;
  if (k.partitionBy) return `${k.sqlName} takes (source [PARTITION BY key, ...], time column, ${k.sqlArgs.join(', ')}${k.offset ? ' [, offset]' : ''})`;
  return `${k.sqlName} takes ${fixed} arguments${k.offset ? ` (or ${fixed + 1} with an offset)` : ''}`;
}

/** `word (` where word names a window table function. */
const isCall = (t: Token, next: Token | undefined): boolean => t.kind === 'word' && windowKindOfSql(t.text) !== undefined && next?.kind === 'lparen';

const NOT_ALIAS = new Set(['where', 'group', 'order', 'having', 'limit', 'offset', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'positional', 'asof', 'anti', 'semi', 'on', 'using', 'window', 'qualify', 'union', 'except', 'intersect', 'sample', 'tablesample', 'using']);

export function findWindowCall(sql: string): WindowCall {
  const tokens = tokenize(sql);
  const code = tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  const at = code.findIndex((t, i) => isCall(t, code[i + 1]));
  if (at < 0) throw new QueryError('no-window', messages.noWindowCall(sql), { context: { sql } });
  const kind = windowKindOfSql(code[at]!.text)!;
  const info: WindowKindInfo = WINDOW_KINDS[kind];
  const fn = info.sqlName;
  // 1. split the arguments at top-level commas up to the matching ')'
  let args: Token[][] = [[]];
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
  const wrapper = close < 0 ? undefined : tableWrapper(code, at, close);
  const nameStart = code[at]!.start;
  const callStart = wrapper === undefined ? nameStart : code[at - 2]!.start;
  const fail = (why: string, from = nameStart, to = nameStart + fn.length): never => {
    const { line, caret } = caretAt(sql, from, to);
    throw new QueryError('bad-window-call', messages.badWindowCall(fn, why, line, caret), { context: { sql } });
  };
  if (close < 0) return fail('the call has no closing parenthesis');
  if (wrapper === -1) return fail('TABLE( around the call has no closing parenthesis');
  const callEnd = code[wrapper ?? close]!.end;
  args = args.map((a, i) => [...(i === 0 ? withoutTableKeyword(a) : a)]);
  // the duration arguments, one optional offset; PARTITION BY keys add commas to the first argument
  const fixed = 2 + info.sqlArgs.length;
  const most = fixed + (info.offset ? 1 : 0);
  if (args.length < fixed || (!info.partitionBy && args.length > most)) return fail(`${usage(info)}, got ${args.length}`, callStart, callEnd);
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
  // the first argument may carry PARTITION BY: `events PARTITION BY device, region, ts, gap`
  const partitionBy: string[] = [];
  if (info.partitionBy) {
    const first = args[0]!;
    const pi = first.findIndex((t) => t.kind === 'word' && /^partition$/i.test(t.text));
    if (pi >= 0) {
      if (!/^by$/i.test(first[pi + 1]?.text ?? '')) return fail('write PARTITION BY followed by key columns', first[pi]!.start, first[pi]!.end);
      args[0] = first.slice(0, pi);
      args.splice(1, 0, ...expandKeyGroup(first.slice(pi + 2)));
      for (const key of args.splice(1, args.length - fixed)) partitionBy.push(ident(key, 'partition key'));
    } else if (args.length > most) return fail(usage(info), callStart, callEnd);
  }
  const sourceName = ident(args[0]!, 'source');
  const timeColumn = ident([...withoutDescriptor(args[1]!)], 'time column');
  const offsetArg = args[fixed];
  const window: WindowSpec = WINDOW_FROM_CALL[kind]({
    timeColumn,
    partitionBy,
    duration: (i, what) => duration(args[2 + i]!, what),
    offset: () => (offsetArg ? duration(offsetArg, 'window offset') : 0),
    fail: (why) => fail(why, callStart, callEnd),
  });
  // 3. replace the call, keeping the user's alias or naming it after the source
  const after = code[(wrapper ?? close) + 1];
  const hasAlias = after !== undefined && (after.kind === 'quoted' || (after.kind === 'word' && !NOT_ALIAS.has(after.text.toLowerCase())));
  const replacement = hasAlias ? WINDOWED_PLACEHOLDER : `${WINDOWED_PLACEHOLDER} AS "${sourceName.replace(/"/g, '""')}"`;
  const rewritten = sql.slice(0, callStart) + replacement + sql.slice(callEnd);
  if (tokenize(rewritten).some((t, i, all) => isCall(t, all.slice(i + 1).find((u) => u.kind !== 'space')))) {
    return fail('a query may use one window call only');
  }
  return { sourceName, window, rewritten };
}
