/**
 * Flink's form of a window call, read by the same reader as Windowpane's own:
 *
 *   TABLE(TUMBLE(TABLE source, DESCRIPTOR(ts), INTERVAL '1' HOUR))
 *   TABLE(SESSION(TABLE source PARTITION BY (k1, k2), DESCRIPTOR(ts), INTERVAL '5' MINUTE))
 *
 * These helpers peel the Flink spelling off the call's tokens (the TABLE(...) wrapper, the TABLE
 * keyword before the source, DESCRIPTOR(...) around the time column, parentheses around partition
 * keys), so a Flink SQL query pasted into a cell runs on either engine.
 */
import type { Token } from './tokenize.js';

const isWord = (t: Token | undefined, word: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === word;

/** When the call at `at` (closed at `close`) is wrapped as TABLE(call): the index of the wrapper's ')'; -1 when unclosed. */
export function tableWrapper(code: readonly Token[], at: number, close: number): number | undefined {
  if (!isWord(code[at - 2], 'table') || code[at - 1]?.kind !== 'lparen') return undefined;
  return code[close + 1]?.kind === 'rparen' ? close + 1 : -1;
}

/** `TABLE source` → `source`. */
export function withoutTableKeyword(arg: readonly Token[]): readonly Token[] {
  return isWord(arg[0], 'table') && arg.length > 1 ? arg.slice(1) : arg;
}

/** `DESCRIPTOR(ts)` → `ts`. */
export function withoutDescriptor(arg: readonly Token[]): readonly Token[] {
  return arg.length === 4 && isWord(arg[0], 'descriptor') && arg[1]?.kind === 'lparen' && arg[3]?.kind === 'rparen' ? [arg[2]!] : arg;
}

/** Partition keys written `(k1, k2)` → one argument per key; anything else as it is. */
export function expandKeyGroup(arg: readonly Token[]): Token[][] {
  if (arg.length < 3 || arg[0]?.kind !== 'lparen' || arg[arg.length - 1]?.kind !== 'rparen') return [[...arg]];
  const keys: Token[][] = [[]];
  for (const t of arg.slice(1, -1)) {
    if (t.kind === 'comma') keys.push([]);
    else keys[keys.length - 1]!.push(t);
  }
  return keys;
}
