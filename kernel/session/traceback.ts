import { SourceMap, type SourceMapPayload } from 'node:module';
import { inspect } from 'node:util';
import type { ExecuteOutcome } from './types.js';
import { caretExcerpt, lineColumn, toCodePoints } from './positions.js';
import type { CellDiagnostic } from './compile.js';

/** Every compiled cell, by the script file name V8 puts in stack frames, so frames map back to cells. */
interface CellRecord {
  readonly label: string;
  readonly source: string;
  readonly map: SourceMap;
}

const cells = new Map<string, CellRecord>();
let sequence = 0;
const FRAME = /wp-cell-(\d+):(\d+):(\d+)/;

/** Remembers a compiled cell; returns the file name to compile its script under. */
export function registerCell(label: string, source: string, sourceMap: string): string {
  const fileName = `wp-cell-${++sequence}`;
  cells.set(fileName, { label, source, map: new SourceMap(JSON.parse(sourceMap) as SourceMapPayload) });
  return fileName;
}

interface CellPosition {
  readonly cell: CellRecord;
  readonly line: number;
  readonly column: number;
}

/** Maps a 1-based generated line/column of a cell script to the 1-based line/column in the cell. */
function cellPosition(fileName: string, line: number, column: number): CellPosition | undefined {
  const cell = cells.get(fileName);
  if (!cell || line < 2) return undefined;
  const entry = cell.map.findEntry(line - 2, column - 1) as Partial<{ originalLine: number; originalColumn: number }>;
  if (entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  const text = cell.source.split('\n')[entry.originalLine] ?? '';
  return { cell, line: entry.originalLine + 1, column: toCodePoints(text, entry.originalColumn) + 1 };
}

const INTERNAL = [/\(node:/, /at node:/, /[/\\]kernel[/\\](session|display)[/\\]/, /[/\\]node_modules[/\\]tsx[/\\]/, /\(<anonymous>\)$/, /^\s*at <anonymous>$/];

/** Stack frames of `stack`, cell frames renamed `Cell [3], line 2:5`, the kernel's own frames dropped. */
function frames(stack: string): { lines: string[]; first?: CellPosition } {
  const lines: string[] = [];
  let first: CellPosition | undefined;
  for (const frame of stack.split('\n').filter((l) => /^\s+at /.test(l))) {
    const m = FRAME.exec(frame);
    const pos = m ? cellPosition(`wp-cell-${m[1]}`, Number(m[2]), Number(m[3])) : undefined;
    if (pos) {
      first ??= pos;
      const where = `${pos.cell.label}, line ${pos.line}:${pos.column}`;
      const renamed = frame.replace(/\(?wp-cell-\d+:\d+:\d+\)?/, (s) => (s.startsWith('(') ? `(${where})` : where));
      // Cell functions live on the scope object, which V8 would print as `Object.f`.
      lines.push(renamed.replace(/^\s+at (async )?Object\./, '    at $1').replace(/^\s+at /, '    at '));
    } else if (!INTERNAL.some((re) => re.test(frame))) lines.push(frame.replace(/^\s+at /, '    at '));
  }
  // Below the outermost cell frame is only the kernel calling the cell.
  const outermost = lines.findLastIndex((l) => l.includes(', line ') && / at (.+ \()?Cell |user_expressions/.test(l));
  const kept = outermost >= 0 ? lines.slice(0, outermost + 1) : lines;
  return first ? { lines: kept, first } : { lines: kept };
}

/** The error outcome for a value a cell threw. */
export function errorOutcome(error: unknown): Extract<ExecuteOutcome, { status: 'error' }> {
  if (!(error instanceof Error) && !(typeof error === 'object' && error !== null && 'stack' in error && 'message' in error)) {
    const evalue = inspect(error);
    return { status: 'error', ename: 'Uncaught', evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const e = error as Error;
  const ename = typeof e.name === 'string' ? e.name : 'Error';
  const evalue = String(e.message);
  const { lines, first } = frames(typeof e.stack === 'string' ? e.stack : '');
  const excerpt = first ? ['', `${first.cell.label}, line ${first.line}:`, ...caretExcerpt(first.cell.source, first.line, first.column)] : [];
  return { status: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`, ...lines, ...excerpt] };
}

/** The error outcome for a cell that does not parse (or, in 'error' mode, does not type-check). */
export function diagnosticsOutcome(ename: string, label: string, source: string, diagnostics: readonly CellDiagnostic[]): Extract<ExecuteOutcome, { status: 'error' }> {
  const traceback: string[] = [];
  for (const d of diagnostics) {
    const { line, column } = lineColumn(source, d.start);
    traceback.push(`${ename}: ${d.message} (${label}, line ${line}:${column})`, ...caretExcerpt(source, line, column));
  }
  const first = diagnostics[0];
  const where = first ? lineColumn(source, first.start) : { line: 1, column: 1 };
  return { status: 'error', ename, evalue: `${first?.message ?? 'invalid code'} (line ${where.line}:${where.column})`, traceback };
}

/** Diagnostics as stderr text: `Cell [3], line 2:5 - warning TS2322: ...` with an excerpt. */
export function formatDiagnostics(label: string, source: string, diagnostics: readonly CellDiagnostic[], severity: string): string {
  return diagnostics
    .map((d) => {
      const { line, column } = lineColumn(source, d.start);
      return [`${label}, line ${line}:${column} - ${severity} TS${d.code}: ${d.message}`, ...caretExcerpt(source, line, column)].join('\n');
    })
    .join('\n')
    .concat('\n');
}
