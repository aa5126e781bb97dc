import ts from './ts.js';
import type { IsCompleteResult } from './types.js';

const OPEN = new Map([
  [ts.SyntaxKind.OpenBraceToken, ts.SyntaxKind.CloseBraceToken],
  [ts.SyntaxKind.OpenParenToken, ts.SyntaxKind.CloseParenToken],
  [ts.SyntaxKind.OpenBracketToken, ts.SyntaxKind.CloseBracketToken],
]);
const CLOSE = new Set(OPEN.values());
/** Tokens after which `/` divides; elsewhere it starts a regular expression. */
const ENDS_EXPRESSION = new Set([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.ThisKeyword,
]);
const TEMPLATE = -1;

type Scan = { kind: 'open'; depth: number } | { kind: 'invalid' } | { kind: 'balanced' };

/** Brackets and template literals still open at the end of `code`. */
function scan(code: string): Scan {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, code);
  const stack: number[] = [];
  let previous = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SlashToken || token === ts.SyntaxKind.SlashEqualsToken) {
      if (!ENDS_EXPRESSION.has(previous)) token = scanner.reScanSlashToken();
    }
    if (token === ts.SyntaxKind.CloseBraceToken && stack[stack.length - 1] === TEMPLATE) {
      token = scanner.reScanTemplateToken(false);
      if (token === ts.SyntaxKind.TemplateTail) stack.pop();
    }
    if (scanner.isUnterminated()) {
      // A string cannot continue on the next line; a template or a comment can.
      if (token === ts.SyntaxKind.StringLiteral) return { kind: 'invalid' };
      if (token !== ts.SyntaxKind.RegularExpressionLiteral) return { kind: 'open', depth: stack.length + 1 };
    }
    if (token === ts.SyntaxKind.TemplateHead) stack.push(TEMPLATE);
    else if (OPEN.has(token)) stack.push(OPEN.get(token)!);
    else if (CLOSE.has(token)) {
      if (stack.pop() !== token) return { kind: 'invalid' };
    }
    if (token !== ts.SyntaxKind.WhitespaceTrivia && token !== ts.SyntaxKind.NewLineTrivia) previous = token;
  }
  return stack.length > 0 ? { kind: 'open', depth: stack.length } : { kind: 'balanced' };
}

/**
 * is_complete: 'incomplete' (with the next line's indent) while brackets, template literals or
 * comments are open or the code ends mid-expression (`1 +`), 'invalid' when no continuation can
 * fix it, 'complete' otherwise.
 */
export function isComplete(code: string): IsCompleteResult {
  if (code.trim() === '') return { status: 'complete' };
  const scanned = scan(code);
  if (scanned.kind === 'invalid') return { status: 'invalid' };
  if (scanned.kind === 'open') return { status: 'incomplete', indent: '  '.repeat(scanned.depth) };
  const { diagnostics = [] } = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
  if (diagnostics.length === 0) return { status: 'complete' };
  const end = code.trimEnd().length;
  return diagnostics.every((d) => (d.start ?? 0) >= end) ? { status: 'incomplete', indent: '' } : { status: 'invalid' };
}
