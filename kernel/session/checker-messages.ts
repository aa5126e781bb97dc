/**
 * The messages between the session (main thread) and the type checker's worker thread
 * (checker-thread.ts): requests carry an id, answers name it.
 */
import type { CellDiagnostic } from './compile.js';
import type { CompleteResult, InspectResult } from './types.js';

export interface CheckerConfig {
  readonly cwd: string;
  readonly packageRoot: string;
  /** The first declarations of the preloaded names; the library's exports follow in a `globals` message. */
  readonly globals: string;
}

/** What the checker answers, by request kind. */
export interface CheckerAnswers {
  readonly diagnostics: CellDiagnostic[];
  readonly complete: CompleteResult;
  readonly inspect: InspectResult;
}

export type CheckerRequest =
  | { readonly kind: 'diagnostics'; readonly history: string; readonly code: string }
  | { readonly kind: 'complete'; readonly history: string; readonly code: string; readonly cursorPos: number }
  | { readonly kind: 'inspect'; readonly history: string; readonly code: string; readonly cursorPos: number };

export type ToChecker = { readonly kind: 'globals'; readonly text: string } | { readonly kind: 'request'; readonly id: number; readonly request: CheckerRequest };

export type FromChecker =
  /** The first checks are done, with the final globals: later answers come in milliseconds. */
  | { readonly kind: 'warm' }
  | { readonly kind: 'answer'; readonly id: number; readonly answer: CheckerAnswers[CheckerRequest['kind']] }
  | { readonly kind: 'failed'; readonly id: number; readonly message: string };
