import type * as TS from 'typescript';
import ts from './ts.js';
import type { CompleteResult, InspectResult } from './types.js';
import type { CellLanguageService } from './language.js';
import { toCodePoints, toUtf16Offset, wordStart } from './positions.js';

/** complete_request: language-service completions filtered by the partial word, in code points. */
export function complete(service: CellLanguageService, history: string, code: string, cursorPos: number): CompleteResult {
  const offset = toUtf16Offset(code, cursorPos);
  const { entries, span } = service.completions(history, code, offset);
  let start = span && span.start <= offset && offset <= span.start + span.length ? span.start : wordStart(code, offset);
  // Module specifiers (`from "node:f`): the partial text runs back to the quote, past `:` and `/`.
  const quoted = /["'`]([\w@./:-]*)$/.exec(code.slice(0, offset));
  if (!span && quoted && entries.some((e) => e.name.startsWith(quoted[1]!))) start = offset - quoted[1]!.length;
  const end = span && span.start === start ? Math.max(offset, span.start + span.length) : offset;
  const prefix = code.slice(start, offset);
  let picked = entries.filter((e) => e.name.startsWith(prefix));
  if (picked.length === 0) picked = entries.filter((e) => e.name.toLowerCase().startsWith(prefix.toLowerCase()));
  picked = [...picked].sort((a, b) => (a.sortText === b.sortText ? a.name.localeCompare(b.name) : a.sortText < b.sortText ? -1 : 1));
  const cursorStart = toCodePoints(code, start);
  const cursorEnd = toCodePoints(code, end);
  const names = [...new Set(picked.map((e) => e.name))];
  const kinds = new Map(picked.map((e) => [e.name, e.kind as string]));
  return {
    matches: names,
    cursorStart,
    cursorEnd,
    types: names.map((text) => ({ text, type: kinds.get(text) ?? '', start: cursorStart, end: cursorEnd })),
  };
}

function tagsText(tags: readonly TS.JSDocTagInfo[] | undefined, markdown: boolean): string[] {
  return (tags ?? []).map((t) => {
    const text = ts.displayPartsToString(t.text);
    return markdown ? `*@${t.name}*${text ? ` — ${text}` : ''}` : `@${t.name}${text ? ` ${text}` : ''}`;
  });
}

/** inspect_request: the type and documentation of the symbol at (or just before) the cursor. */
export function inspect(service: CellLanguageService, history: string, code: string, cursorPos: number): InspectResult {
  const offset = toUtf16Offset(code, cursorPos);
  const info = service.quickInfo(history, code, offset) ?? (offset > 0 ? service.quickInfo(history, code, offset - 1) : undefined);
  if (!info) return { found: false, data: {} };
  const signature = ts.displayPartsToString(info.displayParts);
  const docs = ts.displayPartsToString(info.documentation);
  const plain = [signature, docs, ...tagsText(info.tags, false)].filter(Boolean).join('\n\n');
  const markdown = ['```typescript\n' + signature + '\n```', docs, ...tagsText(info.tags, true)].filter(Boolean).join('\n\n');
  return { found: true, data: { 'text/plain': plain, 'text/markdown': markdown } };
}
