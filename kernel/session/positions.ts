/**
 * Jupyter counts cursor positions in Unicode code points; TypeScript and JavaScript strings count
 * UTF-16 code units. Every position crossing the protocol boundary goes through these two functions.
 */

/** The UTF-16 offset of code point `cursor` in `text` (clamped to the text). */
export function toUtf16Offset(text: string, cursor: number): number {
  let units = 0;
  for (let points = 0; points < cursor && units < text.length; points++) {
    const code = text.codePointAt(units)!;
    units += code > 0xffff ? 2 : 1;
  }
  return Math.min(units, text.length);
}

/** The code point index of UTF-16 offset `offset` in `text`. */
export function toCodePoints(text: string, offset: number): number {
  let points = 0;
  for (let units = 0; units < offset && units < text.length; points++) {
    const code = text.codePointAt(units)!;
    units += code > 0xffff ? 2 : 1;
  }
  return points;
}

const WORD_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;

/** UTF-16 start of the identifier that ends at `offset`. */
export function wordStart(code: string, offset: number): number {
  let start = offset;
  while (start > 0 && WORD_CHAR.test(code[start - 1]!)) start--;
  return start;
}

export interface LineColumn {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in code points. */
  readonly column: number;
}

/** The 1-based line and code-point column of UTF-16 offset `offset` in `text`. */
export function lineColumn(text: string, offset: number): LineColumn {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  return { line, column: toCodePoints(before.slice(lineStart), offset - lineStart) + 1 };
}

/** One source line and a caret under `column` (1-based, code points): the excerpt in tracebacks. */
export function caretExcerpt(text: string, line: number, column: number): string[] {
  const source = text.split('\n')[line - 1];
  if (source === undefined) return [];
  const indent = Array.from(source).slice(0, column - 1).map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
  return [`  ${source}`, `  ${indent}^`];
}
