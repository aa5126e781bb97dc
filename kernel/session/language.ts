import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TS from 'typescript';
import ts from './ts.js';
import type { CellDiagnostic } from './compile.js';

/**
 * One incremental TypeScript LanguageService over a virtual file in the notebook folder: the
 * declarations of earlier cells (DeclarationHistory) followed by the current cell. A second virtual
 * file declares the names every cell has (display, wp, the windowpane exports...). Type checking,
 * completion and quick info all ask this service; positions in and out are UTF-16 offsets in the cell.
 */
export class CellLanguageService {
  private readonly cellsFile: string;
  private readonly globalsFile: string;
  private cells = '';
  private version = 0;
  private cellStart = 0;
  private globalsVersion = 0;
  private readonly service: TS.LanguageService;

  constructor(cwd: string, packageRoot: string, private globals: string) {
    this.cellsFile = join(cwd, '__windowpane_cells__.ts');
    this.globalsFile = join(packageRoot, 'kernel', 'session', '__windowpane_globals__.d.ts');
    const options: TS.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      moduleDetection: ts.ModuleDetectionKind.Force,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [join(packageRoot, 'node_modules', '@types'), join(cwd, 'node_modules', '@types')],
      strict: true,
      // Notebook code is exploratory: untyped parameters are not worth a warning on every cell.
      noImplicitAny: false,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      esModuleInterop: true,
      resolveJsonModule: true,
    };
    const built = join(packageRoot, 'dist', 'src', 'index.d.ts');
    const windowpaneTypes = ts.sys.fileExists(built) ? built : join(packageRoot, 'src', 'index.ts');
    const cache = ts.createModuleResolutionCache(cwd, (f) => f, options);
    const fallbackParent = join(packageRoot, '[cell].ts');
    const resolve = (name: string, containing: string): TS.ResolvedModuleWithFailedLookupLocations => {
      if (name === 'windowpane') return { resolvedModule: { resolvedFileName: windowpaneTypes, extension: windowpaneTypes.endsWith('.d.ts') ? ts.Extension.Dts : ts.Extension.Ts, isExternalLibraryImport: false } };
      const found = ts.resolveModuleName(name, containing, options, ts.sys, cache);
      if (found.resolvedModule || containing !== this.cellsFile) return found;
      return ts.resolveModuleName(name, fallbackParent, options, ts.sys, cache);
    };
    const virtual = (file: string) => (file === this.cellsFile ? this.cells : file === this.globalsFile ? this.globals : undefined);
    const host: TS.LanguageServiceHost = {
      getScriptFileNames: () => [this.globalsFile, this.cellsFile],
      getScriptVersion: (file) => (file === this.cellsFile ? String(this.version) : file === this.globalsFile ? String(this.globalsVersion) : '0'),
      getScriptSnapshot: (file) => {
        const text = virtual(file) ?? (ts.sys.fileExists(file) ? readFileSync(file, 'utf8') : undefined);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => cwd,
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (file) => virtual(file) !== undefined || ts.sys.fileExists(file),
      readFile: (file) => virtual(file) ?? ts.sys.readFile(file),
      readDirectory: (...args) => ts.sys.readDirectory(...args),
      directoryExists: (dir) => ts.sys.directoryExists(dir),
      getDirectories: (dir) => ts.sys.getDirectories(dir),
      resolveModuleNameLiterals: (literals, containing) => literals.map((l) => resolve(l.text, containing)),
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** Replaces the declarations of the preloaded names (the library's exports arrive after start). */
  setGlobals(text: string): void {
    if (text === this.globals) return;
    this.globals = text;
    this.globalsVersion++;
  }

  /** Puts `history` + `code` in the virtual file; returns the offset where the cell starts. */
  private load(history: string, code: string): number {
    const text = history ? `${history}\n` : '';
    if (this.cells !== text + code) {
      this.cells = text + code;
      this.version++;
    }
    this.cellStart = text.length;
    return this.cellStart;
  }

  /** Errors in the cell itself (not in the history before it). */
  diagnostics(history: string, code: string): CellDiagnostic[] {
    const start = this.load(history, code);
    const all = [...this.service.getSyntacticDiagnostics(this.cellsFile), ...this.service.getSemanticDiagnostics(this.cellsFile)];
    return all
      .filter((d) => d.category === ts.DiagnosticCategory.Error && d.start !== undefined && d.start >= start)
      .map((d) => ({ message: ts.flattenDiagnosticMessageText(d.messageText, '\n'), start: d.start! - start, code: d.code }));
  }

  completions(history: string, code: string, offset: number): { entries: readonly TS.CompletionEntry[]; span?: { start: number; length: number } } {
    const start = this.load(history, code);
    const info = this.service.getCompletionsAtPosition(this.cellsFile, start + offset, { includeCompletionsWithInsertText: true, includeCompletionsForModuleExports: false });
    if (!info) return { entries: [] };
    const span = info.optionalReplacementSpan;
    return span ? { entries: info.entries, span: { start: span.start - start, length: span.length } } : { entries: info.entries };
  }

  quickInfo(history: string, code: string, offset: number): TS.QuickInfo | undefined {
    const start = this.load(history, code);
    return this.service.getQuickInfoAtPosition(this.cellsFile, start + offset);
  }

  dispose(): void {
    this.service.dispose();
  }
}
