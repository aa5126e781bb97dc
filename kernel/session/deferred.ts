import type { CompleteResult, ExecuteOutcome, ExecutionContext, InspectResult, IsCompleteResult, Session } from './types.js';

/**
 * A session that is still loading (the TypeScript compiler and the windowpane library take a second
 * or more to import): the kernel answers kernel_info meanwhile. Executions wait for it; completion,
 * inspection and is_complete answer "nothing yet" until it is there.
 */
export class DeferredSession implements Session {
  private session: Session | undefined;

  constructor(private readonly loading: Promise<Session>) {
    // A load failure surfaces in execute; here it must not become an unhandled rejection.
    loading.then(
      (s) => (this.session = s),
      () => undefined,
    );
  }

  async execute(code: string, context: ExecutionContext): Promise<ExecuteOutcome> {
    return (await this.loading).execute(code, context);
  }

  async evaluate(expressions: Record<string, string>): Promise<Record<string, ExecuteOutcome>> {
    return (await this.loading).evaluate(expressions);
  }

  complete(code: string, cursorPos: number): CompleteResult {
    return this.session?.complete(code, cursorPos) ?? { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): InspectResult {
    return this.session?.inspect(code, cursorPos, detailLevel) ?? { found: false, data: {} };
  }

  isComplete(code: string): IsCompleteResult {
    return this.session?.isComplete(code) ?? { status: 'unknown' };
  }

  async dispose(): Promise<void> {
    const session = await this.loading.catch(() => undefined);
    await session?.dispose();
  }

  /** Resolves when the session has loaded (rejects if it cannot). */
  ready(): Promise<void> {
    return this.loading.then(() => undefined);
  }
}
