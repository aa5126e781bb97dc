/**
 * TypeScript, loaded as CommonJS through V8's code cache (kernel/code-cache.ts). An ESM `import` of
 * its CommonJS file would first scan all 9 MB of it for export names (cjs-module-lexer), which costs
 * more than loading it; compiling it costs most of the rest. Values come from here (`ts.factory`),
 * types from the package (`import type * as TS from 'typescript'`).
 */
import { createRequire } from 'node:module';
import type * as TS from 'typescript';
import { requireWithCodeCache } from '../code-cache.js';

const loaded = requireWithCodeCache(createRequire(import.meta.url).resolve('typescript'));
const ts = loaded.exports as typeof TS;
export default ts;

/** Saves TypeScript's compiled code for the next kernel, after this one has used it. */
export const saveTypeScriptCache = (): void => loaded.save();
