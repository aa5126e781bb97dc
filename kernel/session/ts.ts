/**
 * TypeScript, loaded with require. An ESM `import` of its CommonJS file first scans all 9 MB of it
 * for export names (cjs-module-lexer), which costs more than loading it: that scan was most of the
 * wait for a new kernel's first cell. Values come from here (`ts.factory`), types from the package
 * (`import type * as TS from 'typescript'`).
 */
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

const ts = createRequire(import.meta.url)('typescript') as typeof TS;
export default ts;
