/**
 * A small SQL tokenizer: enough to find a window call in FROM without parsing SQL. It respects
 * string literals, quoted identifiers, dollar quotes and comments, so a "TUMBLE(" inside any of those
 * is never taken for a call.
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'lparen' | 'rparen' | 'comma' | 'comment' | 'space' | 'other';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset of the first character in the SQL text. */
  readonly start: number;
  readonly end: number;
}

function scanQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return sql.length;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) push('space', i + (/^\s+/.exec(sql.slice(i))?.[0].length ?? 1));
    else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      push('comment', nl < 0 ? sql.length : nl);
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      push('comment', close < 0 ? sql.length : close + 2);
    } else if (c === "'") push('string', scanQuoted(sql, i, "'"));
    else if (c === '"') push('quoted', scanQuoted(sql, i, '"'));
    else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        push('string', close < 0 ? sql.length : close + tag.length);
      } else push('other', i + 1);
    } else if (c === '(') push('lparen', i + 1);
    else if (c === ')') push('rparen', i + 1);
    else if (c === ',') push('comma', i + 1);
    else if (/[A-Za-z_\u0080-\uffff]/.test(c)) push('word', i + (/^[A-Za-z0-9_$\u0080-\uffff]+/.exec(sql.slice(i))?.[0].length ?? 1));
    else if (/[0-9]/.test(c)) push('number', i + (/^[0-9][0-9_.eE]*/.exec(sql.slice(i))?.[0].length ?? 1));
    else push('other', i + 1);
  }
  return tokens;
}

/** The identifier a word or quoted token names. */
export function identifierOf(token: Token): string {
  return token.kind === 'quoted' ? token.text.slice(1, -1).replace(/""/g, '"') : token.text;
}

/** The value of a string literal token. */
export function stringValue(token: Token): string {
  return token.text.slice(1, -1).replace(/''/g, "'");
}

/** A caret line pointing at [start, end) of the line containing `start`, with that line. */
export function caretAt(sql: string, start: number, end = start + 1): { line: string; caret: string } {
  const lineStart = sql.lastIndexOf('\n', start - 1) + 1;
  const lineEndRaw = sql.indexOf('\n', start);
  const lineEnd = lineEndRaw < 0 ? sql.length : lineEndRaw;
  const line = sql.slice(lineStart, lineEnd);
  const width = Math.max(1, Math.min(end, lineEnd) - start);
  return { line, caret: ' '.repeat(start - lineStart) + '^'.repeat(width) };
}
