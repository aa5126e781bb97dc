import type { MimeBundle } from '../session/types.js';

/**
 * The display protocol: an object with a method under this symbol renders itself. The method
 * returns a MIME bundle ({ 'text/html': ..., 'text/plain': ... }); `display(obj)` and a cell whose
 * last expression is `obj` both use it. A global symbol, so libraries need not import the kernel.
 */
export const mimeBundleSymbol: unique symbol = Symbol.for('windowpane.mimeBundle') as never;

export interface MimeRenderable {
  [mimeBundleSymbol](): MimeBundle;
}

export function isMimeRenderable(value: unknown): value is MimeRenderable {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as Record<symbol, unknown>)[mimeBundleSymbol] === 'function';
}
