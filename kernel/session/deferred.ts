import { internalWork } from '../internal-work.js';
import { runtimeComplete, runtimeInspect } from './runtime-assist.js';
import type { CompleteResult, ExecuteOutcome, ExecutionContext, InspectResult, IsCompleteResult, Session } from './types.js';

/**
 * A session that is still loading (the TypeScript compiler takes a moment to import): the kernel
 * answers kernel_info meanwhile. Executions wait for it; completion and inspection answer from the
 * process's globals (Math, JSON, ...) and is_complete says "unknown" until it is there.
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

  async complete(code: string, cursorPos: number): Promise<CompleteResult> {
    if (this.session) return this.session.complete(code, cursorPos);
    const live = internalWork(() => runtimeComplete(undefined, code, cursorPos));
    // nothing the globals know (`const s = 'hi'; s.toUp`): the session, a moment away, may
    return live.matches.length > 0 ? live : this.loading.then((s) => s.complete(code, cursorPos), () => live);
  }

  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectResult> {
    if (this.session) return this.session.inspect(code, cursorPos, detailLevel);
    const live = internalWork(() => runtimeInspect(undefined, code, cursorPos));
    return live.found ? live : this.loading.then((s) => s.inspect(code, cursorPos, detailLevel), () => live);
  }

  isComplete(code: string): IsCompleteResult {
    return this.session?.isComplete(code) ?? { status: 'unknown' };
  }

  typeCheckerReady(): Promise<void> {
    return this.loading.then(
      (s) => s.typeCheckerReady(),
      () => undefined,
    );
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
