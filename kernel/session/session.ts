import { KernelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { internalWork } from '../internal-work.js';
import type { TypeChecker } from './checker.js';
import { compileCell, type CellDiagnostic, type CompileResult } from './compile.js';
import { setLatestExecution } from './context.js';
import { addLibrary, cellGlobals, globalsDeclaration } from './globals.js';
import { DeclarationHistory, declaredNames } from './history.js';
import { isComplete } from './is-complete.js';
import { moduleLoader, type ModuleLoader } from './modules.js';
import { routeOutput } from './output.js';
import { runCell } from './run.js';
import { runtimeComplete, runtimeInspect } from './runtime-assist.js';
import { diagnosticsOutcome, formatDiagnostics, registerCell } from './traceback.js';
import type { CompleteResult, ExecuteOutcome, ExecutionContext, InspectResult, IsCompleteResult, Session, SessionOptions } from './types.js';

type TypeErrorMode = NonNullable<SessionOptions['typeErrors']>;

/** How long a completion the live objects cannot answer waits for a checker that is still warming up. */
const COLD_ASSIST_WAIT_MS = 3000;

/** What the session uses of the type checker (a unit test may hand it another). */
export type Checker = Pick<TypeChecker, 'warm' | 'settled' | 'setGlobals' | 'ask' | 'dispose'>;

/**
 * The TypeScript cell session: one persistent scope, one declaration history; the type checker
 * (a language service) lives in its own thread (checker.ts), so nothing here waits for its warm-up.
 */
export class CellSession implements Session {
  private readonly scope: Record<string, unknown>;
  private readonly loader: ModuleLoader;
  private readonly history = new DeclarationHistory();
  private readonly typeErrors: TypeErrorMode;
  private readonly unrouteOutput = routeOutput();
  /** The windowpane library: cells that use none of its names run before it has loaded. */
  private readonly library: Promise<Record<string, unknown>>;
  private libraryLoaded = false;

  constructor(options: SessionOptions, packageRoot: string, private readonly checker: Checker, loadLibrary: () => Promise<Record<string, unknown>>) {
    this.loader = moduleLoader(options.cwd, packageRoot, () => this.library);
    this.scope = cellGlobals(this.loader, options.globals);
    this.typeErrors = options.typeErrors ?? 'warn';
    // Started after the requests already waiting for the session have compiled their cells.
    this.library = new Promise<void>((r) => setImmediate(r))
      .then(loadLibrary)
      .then((windowpane) => {
        addLibrary(this.scope, windowpane);
        this.libraryLoaded = true;
        checker.setGlobals(globalsDeclaration(windowpane, options.globals));
        return windowpane;
      });
    // A failure surfaces in the cells that need the library.
    this.library.catch(() => undefined);
  }

  async execute(code: string, context: ExecutionContext): Promise<ExecuteOutcome> {
    setLatestExecution(context);
    const label = `Cell [${context.executionCount}]`;
    // 1. compile: a syntax error stops here, with its position.
    const compiled = await this.compile(code);
    if (!compiled.ok) return diagnosticsOutcome('SyntaxError', label, code, compiled.diagnostics);
    // 2. type-check against the earlier cells' declarations, in the checker's thread. 'error' waits
    //    and fails the cell; 'warn' runs the cell at once and shows the warnings when they come (a
    //    warm checker's before the reply, the first cells' warm-up checks possibly after it).
    const history = this.history.text(declaredNames(code));
    let checked: Promise<void> | undefined;
    if (this.typeErrors === 'error') {
      const diagnostics = await this.diagnostics(history, code);
      if (diagnostics.length > 0) {
        const outcome = diagnosticsOutcome('TSError', label, code, diagnostics);
        return { ...outcome, traceback: [messages.sessionTypeErrors(diagnostics.length), ...outcome.traceback] };
      }
    } else if (this.typeErrors === 'warn') {
      const warm = this.checker.warm;
      const warned = this.diagnostics(history, code).then((d) => {
        if (d.length > 0) context.stream('stderr', formatDiagnostics(label, code, d, 'warning'));
      });
      if (warm) checked = warned;
    }
    // 3. run, with the declarations recorded for the type checker of later cells.
    this.history.add(code);
    const outcome = await runCell(compiled, registerCell(label, code, compiled.sourceMap), this.scope, this.loader, context);
    await checked;
    return outcome;
  }

  async evaluate(expressions: Record<string, string>): Promise<Record<string, ExecuteOutcome>> {
    const out: Record<string, ExecuteOutcome> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      const compiled = await this.compile(expression);
      out[name] = compiled.ok
        ? await runCell(compiled, registerCell(`user_expressions[${JSON.stringify(name)}]`, expression, compiled.sourceMap), this.scope, this.loader, quietContext)
        : diagnosticsOutcome('SyntaxError', 'user expression', expression, compiled.diagnostics);
    }
    return out;
  }

  async complete(code: string, cursorPos: number): Promise<CompleteResult> {
    const ask = () => this.checker.ask({ kind: 'complete', history: this.history.text(declaredNames(code)), code, cursorPos });
    // a value typed `any` has no members for the checker, but the live object has
    return this.assist(ask, (r) => r.matches.length > 0, () => runtimeComplete(this.scope, code, cursorPos));
  }

  async inspect(code: string, cursorPos: number, _detailLevel: 0 | 1): Promise<InspectResult> {
    const ask = () => this.checker.ask({ kind: 'inspect', history: this.history.text(declaredNames(code)), code, cursorPos });
    return this.assist(ask, (r) => r.found, () => runtimeInspect(this.scope, code, cursorPos));
  }

  isComplete(code: string): IsCompleteResult {
    return isComplete(code);
  }

  typeCheckerReady(): Promise<void> {
    return this.checker.settled;
  }

  async dispose(): Promise<void> {
    this.unrouteOutput();
    await this.checker.dispose();
  }

  /** Compiles a cell; one that reads a name nothing declares yet waits for the library first. */
  private async compile(code: string): Promise<CompileResult> {
    const compiled = internalWork(() => compileCell(code, Object.keys(this.scope)));
    if (!compiled.ok || compiled.free.size === 0 || this.libraryLoaded) return compiled;
    await this.library;
    return internalWork(() => compileCell(code, Object.keys(this.scope)));
  }

  /**
   * Completion or inspection: the type checker's answer when it is warm and has one, else the live
   * objects'. While it warms up and the live objects know nothing (a name the cell itself declares:
   * `const s = 'hi'; s.toUp`), the checker's answer is awaited for a moment (it may come in time).
   */
  private async assist<T>(ask: () => Promise<T>, useful: (answer: T) => boolean, runtime: () => T): Promise<T> {
    if (this.checker.warm) {
      const typed = await ask().catch(() => undefined);
      if (typed !== undefined && useful(typed)) return typed;
      return internalWork(runtime);
    }
    const live = internalWork(runtime);
    if (useful(live)) return live;
    const typed = await Promise.race([ask().catch(() => undefined), new Promise<undefined>((r) => setTimeout(() => r(undefined), COLD_ASSIST_WAIT_MS).unref())]);
    return typed !== undefined && useful(typed) ? typed : live;
  }

  /** Type errors in `code`; none when the checker fails (it must never block a cell). */
  private diagnostics(history: string, code: string): Promise<readonly CellDiagnostic[]> {
    return this.checker.ask({ kind: 'diagnostics', history, code }).catch(() => []);
  }
}

/** The context of user_expressions: output has nowhere to go, and nothing interrupts them. */
const quietContext: ExecutionContext = {
  id: 'user_expressions',
  executionCount: 0,
  signal: new AbortController().signal,
  allowStdin: false,
  stream: () => undefined,
  display: () => undefined,
  clearOutput: () => undefined,
  input: () => Promise.reject(new KernelError('stdin-not-allowed', messages.kernelStdinNotAllowed())),
};
