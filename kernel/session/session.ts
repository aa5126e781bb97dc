import { KernelError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { internalWork } from '../internal-work.js';
import { complete, inspect } from './assist.js';
import { compileCell } from './compile.js';
import { setLatestExecution } from './context.js';
import { cellGlobals, globalsDeclaration } from './globals.js';
import { DeclarationHistory, declaredNames } from './history.js';
import { isComplete } from './is-complete.js';
import { CellLanguageService } from './language.js';
import { moduleLoader, type ModuleLoader } from './modules.js';
import { routeOutput } from './output.js';
import { runCell } from './run.js';
import { diagnosticsOutcome, formatDiagnostics, registerCell } from './traceback.js';
import type { CompleteResult, ExecuteOutcome, ExecutionContext, InspectResult, IsCompleteResult, Session, SessionOptions } from './types.js';
import type { CellDiagnostic } from './compile.js';

type TypeErrorMode = NonNullable<SessionOptions['typeErrors']>;

/** The TypeScript cell session: one persistent scope, one declaration history, one language service. */
export class CellSession implements Session {
  private readonly scope: Record<string, unknown>;
  private readonly loader: ModuleLoader;
  private readonly history = new DeclarationHistory();
  private readonly language: CellLanguageService;
  private readonly typeErrors: TypeErrorMode;
  private readonly unrouteOutput = routeOutput();
  private readonly warmUp: NodeJS.Timeout;
  /** Whether the language service has done its first (slow) check. */
  private warm = false;

  constructor(options: SessionOptions, packageRoot: string, windowpane: Record<string, unknown>) {
    this.loader = moduleLoader(options.cwd, packageRoot, windowpane);
    this.scope = cellGlobals(windowpane, this.loader, options.globals);
    this.language = new CellLanguageService(options.cwd, packageRoot, globalsDeclaration(windowpane, options.globals));
    this.typeErrors = options.typeErrors ?? 'warn';
    // The first check loads the lib, @types/node and windowpane's types (seconds): do it while the
    // user is still looking at the new notebook, yet after the start-up kernel_info exchange.
    this.warmUp = setTimeout(() => this.typeErrors === 'ignore' || this.check(''), 1000).unref();
  }

  async execute(code: string, context: ExecutionContext): Promise<ExecuteOutcome> {
    setLatestExecution(context);
    const label = `Cell [${context.executionCount}]`;
    // 1. compile: a syntax error stops here, with its position.
    const compiled = internalWork(() => compileCell(code, Object.keys(this.scope)));
    if (!compiled.ok) return diagnosticsOutcome('SyntaxError', label, code, compiled.diagnostics);
    // 2. type-check against the earlier cells' declarations: shown, or fatal in 'error' mode.
    //    While the checker is still cold (its first check takes seconds), 'warn' runs the cell first
    //    and shows the warnings when the check is done, so the first cell is not held up.
    const history = this.history.text(declaredNames(code));
    if (this.typeErrors === 'warn' && !this.warm) {
      this.warm = true; // later cells check first, as usual (paying the warm-up if this one has not)
      this.history.add(code);
      const outcome = await runCell(compiled, registerCell(label, code, compiled.sourceMap), this.scope, this.loader, context);
      setImmediate(() => {
        const diagnostics = this.check(code, history);
        if (diagnostics.length > 0) context.stream('stderr', formatDiagnostics(label, code, diagnostics, 'warning'));
      });
      return outcome;
    }
    if (this.typeErrors !== 'ignore') {
      const diagnostics = this.check(code, history);
      if (diagnostics.length > 0 && this.typeErrors === 'error') {
        const outcome = diagnosticsOutcome('TSError', label, code, diagnostics);
        return { ...outcome, traceback: [messages.sessionTypeErrors(diagnostics.length), ...outcome.traceback] };
      }
      if (diagnostics.length > 0) context.stream('stderr', formatDiagnostics(label, code, diagnostics, 'warning'));
    }
    // 3. run, with the declarations recorded for the type checker of later cells.
    this.history.add(code);
    return runCell(compiled, registerCell(label, code, compiled.sourceMap), this.scope, this.loader, context);
  }

  async evaluate(expressions: Record<string, string>): Promise<Record<string, ExecuteOutcome>> {
    const out: Record<string, ExecuteOutcome> = {};
    for (const [name, expression] of Object.entries(expressions)) {
      const compiled = compileCell(expression, Object.keys(this.scope));
      out[name] = compiled.ok
        ? await runCell(compiled, registerCell(`user_expressions[${JSON.stringify(name)}]`, expression, compiled.sourceMap), this.scope, this.loader, quietContext)
        : diagnosticsOutcome('SyntaxError', 'user expression', expression, compiled.diagnostics);
    }
    return out;
  }

  complete(code: string, cursorPos: number): CompleteResult {
    try {
      return internalWork(() => complete(this.language, this.history.text(declaredNames(code)), code, cursorPos));
    } catch {
      return { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
    }
  }

  inspect(code: string, cursorPos: number, _detailLevel: 0 | 1): InspectResult {
    try {
      return internalWork(() => inspect(this.language, this.history.text(declaredNames(code)), code, cursorPos));
    } catch {
      return { found: false, data: {} };
    }
  }

  isComplete(code: string): IsCompleteResult {
    return isComplete(code);
  }

  dispose(): Promise<void> {
    clearTimeout(this.warmUp);
    this.unrouteOutput();
    this.language.dispose();
    return Promise.resolve();
  }

  /** Type errors in `code`; none when the language service itself fails (it must never block a cell). */
  private check(code: string, history = this.history.text(declaredNames(code))): CellDiagnostic[] {
    try {
      return internalWork(() => this.language.diagnostics(history, code));
    } catch {
      return [];
    } finally {
      this.warm = true;
    }
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
