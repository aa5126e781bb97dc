import { inspect } from 'node:util';
import type { MimeBundle } from '../session/types.js';

/** A table to render, whatever it came from (an Arrow Table, an array of plain objects). */
export interface TableLike {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rowCount: number;
  cell(row: number, column: number): unknown;
}

/** Rows shown before the "N more rows" note. */
export const MAX_ROWS = 50;
const MAX_CELL = 200;

interface ArrowTableShape {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  getChildAt(i: number): { get(row: number): unknown } | null;
}

/**
 * An Apache Arrow Table, recognised by shape rather than `instanceof`: a notebook may load its own
 * copy of apache-arrow, whose Table class is not the kernel's.
 */
export function isArrowTable(value: unknown): value is ArrowTableShape {
  const v = value as Partial<ArrowTableShape> | null;
  return typeof v === 'object' && v !== null && typeof v.numRows === 'number' && Array.isArray(v.schema?.fields) && typeof v.getChildAt === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The table view of `value`, if it is one: an Arrow Table or a non-empty array of plain objects. */
export function asTable(value: unknown): TableLike | undefined {
  if (isArrowTable(value)) {
    const columns = value.schema.fields.map((f) => f.name);
    const children = columns.map((_, i) => value.getChildAt(i));
    return { title: `Arrow Table: ${value.numRows} rows × ${columns.length} columns`, columns, rowCount: value.numRows, cell: (r, c) => children[c]?.get(r) };
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) {
    const rows = value;
    const columns = [...new Set(rows.slice(0, 1000).flatMap((r) => Object.keys(r)))];
    return { title: `${rows.length} rows × ${columns.length} columns`, columns, rowCount: rows.length, cell: (r, c) => rows[r]![columns[c]!] };
  }
  return undefined;
}

function cellText(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = String(value);
  else if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (typeof value === 'object') text = inspect(value, { depth: 2, breakLength: Infinity, compact: true });
  else text = typeof value === 'bigint' ? value.toString() : inspect(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => escapes[ch]!);
}

function moreRows(table: TableLike): string | undefined {
  const more = table.rowCount - MAX_ROWS;
  return more > 0 ? `${more} more row${more === 1 ? '' : 's'}` : undefined;
}

/** text/html (escaped, first MAX_ROWS rows) with an aligned text/plain fallback. */
export function renderTable(table: TableLike): MimeBundle {
  const shown = Math.min(table.rowCount, MAX_ROWS);
  const rows = Array.from({ length: shown }, (_, r) => table.columns.map((_, c) => cellText(table.cell(r, c))));
  const more = moreRows(table);

  const head = `<thead><tr><th></th>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((row, r) => `<tr><th>${r}</th>${row.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('');
  const note = more ? `<p>${escapeHtml(more)}</p>` : '';
  const html = `<div class="windowpane-table"><table><caption>${escapeHtml(table.title)}</caption>${head}<tbody>${body}</tbody></table>${note}</div>`;

  const widths = table.columns.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd();
  const text = [table.title, line(table.columns), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line), ...(more ? [`… ${more}`] : [])].join('\n');
  return { 'text/html': html, 'text/plain': text };
}
