import vm from 'node:vm';
import { messages } from '../../src/messages.js';
import { formatValue } from '../display/format.js';
import type { CompiledCell } from './compile.js';
import { executionStore } from './context.js';
import type { ModuleLoader } from './modules.js';
import { errorOutcome } from './traceback.js';
import type { ExecuteOutcome, ExecutionContext } from './types.js';

type CellFunction = (scope: Record<string, unknown>, runtime: ModuleLoader) => Promise<{ value: unknown } | undefined>;

export const INTERRUPTED = 'KeyboardInterrupt';

export function interruptedOutcome(): ExecuteOutcome {
  const evalue = messages.kernelInterrupted();
  return { status: 'error', ename: INTERRUPTED, evalue, traceback: [`${INTERRUPTED}: ${evalue}`] };
}

/**
 * Runs a compiled cell in the main context (so `instanceof`, Buffer, globals and npm packages behave
 * as in any Node module) inside `executionStore.run(context)`. Settles with the outcome when the
 * cell's promise does, or at once when `context.signal` aborts: the pending await is abandoned, the
 * scope keeps whatever the cell assigned so far. Nothing here waits on a `finally` after user code:
 * an interrupt may terminate that stack (see kernel/README.md).
 */
export function runCell(compiled: CompiledCell, fileName: string, scope: Record<string, unknown>, runtime: ModuleLoader, context: ExecutionContext): Promise<ExecuteOutcome> {
  return new Promise<ExecuteOutcome>((resolve) => {
    if (context.signal.aborted) return resolve(interruptedOutcome());
    const onAbort = () => resolve(interruptedOutcome());
    context.signal.addEventListener('abort', onAbort, { once: true });
    const settle = (outcome: ExecuteOutcome) => {
      context.signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    executionStore.run(context, () => {
      let promise: ReturnType<CellFunction>;
      try {
        const cell = new vm.Script(compiled.script, { filename: fileName }).runInThisContext() as CellFunction;
        promise = cell(scope, runtime);
      } catch (e) {
        return settle(errorOutcome(e));
      }
      promise.then(
        (returned) => {
          try {
            const result = returned ? formatValue(returned.value) : undefined;
            settle(result ? { status: 'ok', result } : { status: 'ok' });
          } catch (e) {
            settle(errorOutcome(e));
          }
        },
        (e: unknown) => settle(errorOutcome(e)),
      );
    });
  });
}
