import { clearOutput, display } from '../display/index.js';
import { messages } from '../../src/messages.js';
import { KernelError } from '../../src/errors.js';
import { currentExecution } from './context.js';
import type { ModuleLoader } from './modules.js';
import type { SessionGlobals } from './types.js';

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

function ask(prompt: string, password: boolean): Promise<string> {
  const context = currentExecution();
  if (!context) return Promise.reject(new KernelError('no-execution', messages.sessionInputOutsideCell()));
  return context.input(prompt, password);
}

/** What a cell's scope holds before its first declaration: display and friends (the library follows, addLibrary). */
export function cellGlobals(loader: ModuleLoader, extra: SessionGlobals = {}): Record<string, unknown> {
  const scope = Object.create(null) as Record<string, unknown>;
  Object.assign(scope, {
    display,
    clearOutput,
    input: (prompt = '') => ask(prompt, false),
    password: (prompt = '') => ask(prompt, true),
    require: (specifier: string) => loader.require(specifier),
  });
  for (const [name, value] of Object.entries(extra)) if (IDENTIFIER.test(name)) scope[name] = value;
  return scope;
}

/**
 * Puts every windowpane export and `wp` on the scope once the library has loaded. A name already
 * there stays: the session's own globals, and whatever a cell that ran before declared.
 */
export function addLibrary(scope: Record<string, unknown>, windowpane: Record<string, unknown>): void {
  for (const [name, value] of Object.entries({ ...windowpane, wp: windowpane })) if (IDENTIFIER.test(name) && !(name in scope)) scope[name] = value;
}

/**
 * The type declarations of cellGlobals, for the language service. windowpane exports come in as
 * `export import` aliases (value, type and generics at once); TypeScript reports those aliases in
 * the globals file itself (TS2667), which nobody sees: only the cell's diagnostics are shown.
 */
export function globalsDeclaration(windowpane: Record<string, unknown>, extra: SessionGlobals = {}): string {
  const own = new Set(['wp', 'display', 'clearOutput', 'input', 'password', 'require', ...Object.keys(extra)]);
  const exported = Object.keys(windowpane).filter((n) => IDENTIFIER.test(n) && !own.has(n));
  return [
    "import * as __windowpane from 'windowpane';",
    "import type { DisplayFunction } from '../display/display.ts';",
    'declare global {',
    ...exported.map((n) => `  export import ${n} = __windowpane.${n};`),
    '  export import wp = __windowpane;',
    '  const display: DisplayFunction;',
    '  /** Clears the output of the calling cell; with `wait`, when the next output arrives. */',
    '  function clearOutput(wait?: boolean): void;',
    '  /** Asks the user for a line of text (input_request). */',
    '  function input(prompt?: string): Promise<string>;',
    '  /** Asks the user for a password: the frontend hides what is typed. */',
    '  function password(prompt?: string): Promise<string>;',
    '  /** CommonJS require, resolving from the notebook folder. */',
    '  const require: NodeJS.Require;',
    ...Object.keys(extra)
      .filter((n) => IDENTIFIER.test(n))
      .map((n) => `  const ${n}: any;`),
    '}',
    'export {};',
  ].join('\n');
}
