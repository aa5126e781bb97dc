import { inspect } from 'node:util';
import type { MimeBundle } from '../session/types.js';
import { isMimeRenderable, mimeBundleSymbol } from './symbol.js';
import { asTable, renderTable } from './table.js';

/** Plain text of any value, as a REPL prints it. */
export function plainText(value: unknown): string {
  return typeof value === 'string' ? inspect(value) : inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}

/**
 * The MIME bundle of a value: its own (display protocol), a table (Arrow Table, array of plain
 * objects), else util.inspect text. Used for display(value) and for a cell's last expression.
 * Undefined for `undefined` (no output).
 */
export function formatValue(value: unknown): MimeBundle | undefined {
  if (value === undefined) return undefined;
  if (isMimeRenderable(value)) {
    const bundle = value[mimeBundleSymbol]();
    return 'text/plain' in bundle ? bundle : { ...bundle, 'text/plain': plainText(value) };
  }
  const table = asTable(value);
  if (table) return renderTable(table);
  return { 'text/plain': plainText(value) };
}
