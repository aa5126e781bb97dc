import type * as TS from 'typescript';
import ts from './ts.js';
import { RUNTIME, SCOPE } from './scope-names.js';
import { cellTransformer, type CellShape } from './transform.js';

/** A cell compiled to `(async function (__wp$s, __wp$rt) { ... })`, with its source map. */
export interface CompiledCell {
  readonly ok: true;
  /** The function expression; line 1 is the wrapper's header, the cell's code starts on line 2. */
  readonly script: string;
  /** The source map of the code from line 2 on, back into the cell. */
  readonly sourceMap: string;
  readonly declared: ReadonlySet<string>;
  /** Names read that nothing declares and no global has: the library may bring them (see CellShape). */
  readonly free: ReadonlySet<string>;
  readonly hasResult: boolean;
}

export interface CellDiagnostic {
  readonly message: string;
  /** UTF-16 offset in the cell. */
  readonly start: number;
  readonly code: number;
}

export type CompileResult = CompiledCell | { readonly ok: false; readonly diagnostics: readonly CellDiagnostic[] };

const CELL = '/cell.ts';
const PRELUDE = '/prelude.d.ts';

const options: TS.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  noLib: true,
  noResolve: true,
  types: [],
  sourceMap: true,
  isolatedModules: true,
  preserveConstEnums: true,
  useDefineForClassFields: true,
  newLine: ts.NewLineKind.LineFeed,
};

/**
 * Compiles one cell. `known` holds the value names already on the persistent scope (earlier cells'
 * declarations, preloaded globals); they are declared in a prelude file so that the binder resolves
 * references to them, and anything the cell declares itself shadows them as in nested scopes.
 */
export function compileCell(code: string, known: Iterable<string>): CompileResult {
  const prelude = [...known].map((name) => `declare var ${name}: any;`).join('\n');
  const sources = new Map([
    [CELL, code],
    [PRELUDE, prelude],
  ]);
  const output = new Map<string, string>();
  const host: TS.CompilerHost = {
    getSourceFile: (name, version) => {
      const text = sources.get(name);
      return text === undefined ? undefined : ts.createSourceFile(name, text, version, true, ts.ScriptKind.TS);
    },
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: (name, text) => output.set(name, text),
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => sources.has(name),
    readFile: (name) => sources.get(name),
  };
  const program = ts.createProgram({ rootNames: [PRELUDE, CELL], options, host });
  const file = program.getSourceFile(CELL)!;
  const syntax = program.getSyntacticDiagnostics(file);
  if (syntax.length > 0) {
    return { ok: false, diagnostics: syntax.map((d) => ({ message: ts.flattenDiagnosticMessageText(d.messageText, '\n'), start: d.start ?? 0, code: d.code })) };
  }
  const shape: CellShape = { declared: new Set(), free: new Set(), hasResult: false };
  program.emit(file, undefined, undefined, false, { before: [cellTransformer(program.getTypeChecker(), PRELUDE, shape)] });
  const js = (output.get('/cell.js') ?? '').replace(/^\/\/# sourceMappingURL=.*$/m, '').replace(/^export \{\};$/m, '');
  return {
    ok: true,
    script: `(async function (${SCOPE}, ${RUNTIME}) { "use strict";\n${js}\n})`,
    sourceMap: output.get('/cell.js.map') ?? '{"version":3,"sources":[],"names":[],"mappings":""}',
    declared: shape.declared,
    free: shape.free,
    hasResult: shape.hasResult,
  };
}
