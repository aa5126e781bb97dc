/**
 * DuckDB SQL text as Flink SQL. The text stays as written wherever the two dialects agree; what
 * differs is rewritten token by token, guided by DuckDB's own parse of the text (parseTree.ts):
 *
 *   names       "x", column references and aliases → `x` (Flink quotes with backticks)
 *   division    a / b → a * CAST(1 AS DOUBLE) / b (DuckDB divides integers as DOUBLE)
 *   functions   as FLINK_FUNCTIONS says: avg over DOUBLE, count_if as COUNT(CASE ...), renames
 *   literals    INTERVAL '5 minutes' → an exact DAY TO SECOND interval; != → <>; VARCHAR → STRING
 *   GROUP BY    window_end beside window_start (Flink's window aggregation groups by both)
 *
 * What has no counterpart is refused (QueryError 'flink-unsupported') with a caret under it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration } from '../duration.js';
import { caretAt, identifierOf, tokenize, type Token } from '../sql/tokenize.js';
import { FLINK_FUNCTIONS, FUNCTION_HINTS, OPERATOR_SQL } from './functions.js';
import { parseTree, type ParsedSql } from './parseTree.js';
import { fident, finterval } from './types.js';

export interface DialectOptions {
  /** A whole statement, or one expression of the builder. */
  readonly form: 'statement' | 'expression';
  /** Group by window_end wherever the statement groups by window_start (windows of one length). */
  readonly addWindowEnd?: boolean;
}

/** Refuses a construct at [at, at + length) of `text`. */
function refuse(text: string, feature: string, at: number, length: number, hint = ''): never {
  const { line, caret } = caretAt(text, Math.max(0, at), Math.max(0, at) + Math.max(1, length));
  throw new QueryError('flink-unsupported', messages.flinkUnsupported(feature, `${line}\n${caret}`, hint), { context: { sql: text } });
}

const word = (t: Token | undefined, w: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === w;

/** Constructs of DuckDB's syntax that Flink does not have, found in the tokens. */
function refuseSyntax(text: string, code: readonly Token[], form: DialectOptions['form']): void {
  code.forEach((t, i) => {
    const next = code[i + 1];
    const at = (n: number): void => {
      const end = code[i + n - 1]?.end ?? t.end;
      refuse(text, text.slice(t.start, end).replace(/\s+/g, ' '), t.start, end - t.start, messages.flinkHintSyntax(t.text.toLowerCase()));
    };
    if (t.text === ':' && next?.text === ':' && next.start === t.end) at(2);
    else if (t.text === '/' && next?.text === '/' && next.start === t.end) at(2);
    else if ((word(t, 'group') || word(t, 'order')) && word(next, 'by') && word(code[i + 2], 'all')) at(3);
    else if (t.text === '*' && (word(next, 'exclude') || word(next, 'replace'))) at(2);
    else if (word(t, 'qualify') || word(t, 'limit') || (form === 'statement' && word(t, 'order') && word(next, 'by'))) at(word(t, 'order') ? 2 : 1);
  });
}

/** What DuckDB's parse found that has no counterpart: functions not in the table, OVER windows, tables. */
function refuseParsed(text: string, parsed: ParsedSql): void {
  const length = (at: number, fallback: number): number => /^[\w"]+/.exec(text.slice(at))?.[0].length ?? fallback;
  for (const f of parsed.functions) {
    if (FLINK_FUNCTIONS[f.name]) continue;
    const shown = OPERATOR_SQL[f.name] ?? `${f.name}()`;
    refuse(text, shown, f.at, length(f.at, f.name.length), FUNCTION_HINTS[f.name] ? messages.flinkHintUse(FUNCTION_HINTS[f.name]!) : messages.flinkHintFunction());
  }
  for (const w of parsed.windows) refuse(text, `${w.name}() OVER (...)`, w.at, w.name.length, messages.flinkHintOver());
  for (const t of parsed.tables) refuse(text, `table ${t.name}`, t.at, t.name.length, messages.flinkHintTable());
  for (const g of parsed.ordinalGroups) refuse(text, 'GROUP BY by position', g, 1, messages.flinkHintSyntax('group'));
}

export async function flinkSql(conn: DuckDBConnection, text: string, options: DialectOptions): Promise<string> {
  const tokens = tokenize(text);
  const code = tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  refuseSyntax(text, code, options.form);
  const parsed = await parseTree(conn, text, options.form);
  refuseParsed(text, parsed);
  const index = new Map(code.map((t, i) => [t.start, i]));
  const out = new Map<Token, string>();
  const after = new Map<Token, string>();
  // 1. column references, each part quoted: t.card_id → t.`card_id`
  const refParts = (at: number): number[] => {
    const parts: number[] = [];
    for (let i = index.get(at) ?? -1; i >= 0 && (code[i]?.kind === 'word' || code[i]?.kind === 'quoted'); i += 2) {
      parts.push(i);
      if (code[i + 1]?.text !== '.') break;
    }
    return parts;
  };
  for (const at of parsed.columns) for (const i of refParts(at)) out.set(code[i]!, fident(identifierOf(code[i]!)));
  // 2. calls rewritten by the function table, wrapped from the name to the matching ')'
  const closing = matchingParens(code);
  for (const f of parsed.functions) {
    const spec = FLINK_FUNCTIONS[f.name];
    const i = index.get(f.at);
    const name = i === undefined ? undefined : code[i];
    const open = i === undefined ? undefined : code[i + 1];
    const close = i === undefined ? undefined : code[closing.get(i + 1) ?? -1];
    if (!spec || i === undefined || name?.kind !== 'word' || open?.kind !== 'lparen' || !close) continue;
    const distinct = word(code[i + 2], 'distinct') ? 'DISTINCT ' : '';
    if (distinct) out.set(code[i + 2]!, '');
    if (spec.kind === 'rename') out.set(name, spec.to);
    else if (spec.kind === 'avg') {
      out.set(name, 'AVG');
      out.set(open, `(${distinct}CAST(`);
      after.set(close, ' AS DOUBLE))');
      out.set(close, '');
    } else if (spec.kind === 'countIf') {
      out.set(name, 'COUNT');
      out.set(open, `(${distinct}CASE WHEN (`);
      out.set(close, ') THEN 1 END)');
    }
  }
  // 3. token by token: quoted names, aliases, division, comparison spellings, types and intervals
  const opener: string[] = [];
  code.forEach((t, i) => {
    const prev = code[i - 1];
    const next = code[i + 1];
    if (t.kind === 'lparen') opener.push(prev?.text.toLowerCase() ?? '');
    if (t.kind === 'rparen') opener.pop();
    if (out.has(t)) return;
    if (t.kind === 'quoted') out.set(t, fident(identifierOf(t)));
    else if (t.kind === 'word' && word(prev, 'as') && !/^(try_)?cast$/.test(opener.at(-1) ?? '')) out.set(t, fident(t.text));
    else if (word(t, 'varchar') || word(t, 'text')) out.set(t, 'STRING');
    else if (t.text === '/' ) out.set(t, '* CAST(1 AS DOUBLE) /');
    else if (t.text === '!' && next?.text === '=' && next.start === t.end) out.set(t, '<>').set(next, '');
    else if (t.text === '=' && next?.text === '=' && next.start === t.end) out.set(next, '');
    else if (word(t, 'interval') && next?.kind === 'string') {
      const ms = intervalMs(next.text.slice(1, -1));
      // the literal and the space before it go; INTERVAL becomes the exact interval
      if (ms !== undefined) for (let k = tokens.indexOf(t) + 1; k < tokens.length && tokens[k] !== next; k++) out.set(tokens[k]!, '');
      if (ms !== undefined) out.set(t, finterval(ms)).set(next, '');
    }
  });
  // 4. GROUP BY window_start → GROUP BY window_start, window_end
  if (options.addWindowEnd && parsed.groupsWindowStart !== undefined && !parsed.groupsWindowEnd) {
    const parts = refParts(parsed.groupsWindowStart);
    const last = code[parts.at(-1) ?? -1];
    if (last) after.set(last, `, ${parts.slice(0, -1).map((p) => `${out.get(code[p]!) ?? code[p]!.text}.`).join('')}\`window_end\``);
  }
  return tokens.map((t) => (out.get(t) ?? t.text) + (after.get(t) ?? '')).join('');
}

/** lparen index → its rparen index. */
function matchingParens(code: readonly Token[]): Map<number, number> {
  const stack: number[] = [];
  const match = new Map<number, number>();
  code.forEach((t, i) => {
    if (t.kind === 'lparen') stack.push(i);
    else if (t.kind === 'rparen' && stack.length > 0) match.set(stack.pop()!, i);
  });
  return match;
}

/** The ms of DuckDB's interval text ('5 minutes'), or undefined to leave it as written (Flink's own form). */
function intervalMs(text: string): number | undefined {
  if (!/[a-z]/i.test(text)) return undefined;
  try {
    return parseDuration(text, 'interval');
  } catch {
    return undefined;
  }
}
