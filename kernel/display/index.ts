/** Rich display for cells: display(), its helpers, the display protocol and the value formatter. */
export { display, clearOutput, vegaLiteMimeType, type DisplayFunction, type DisplayHandle, type DisplayCallOptions } from './display.js';
export { formatValue, plainText } from './format.js';
export { mimeBundleSymbol, isMimeRenderable, type MimeRenderable } from './symbol.js';
export { asTable, renderTable, isArrowTable, escapeHtml, MAX_ROWS, type TableLike } from './table.js';
