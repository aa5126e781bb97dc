import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExecutionContext } from './types.js';

/**
 * The execution a piece of code belongs to. Session.execute runs each cell inside
 * `executionStore.run(context, ...)`, so timers, promises and streams the cell starts keep pointing at
 * the cell that started them. Output with no store (code outside any cell) goes to the latest one.
 */
export const executionStore = new AsyncLocalStorage<ExecutionContext>();

let latest: ExecutionContext | undefined;

export function setLatestExecution(context: ExecutionContext): void {
  latest = context;
}

/**
 * Where the I/O thread's interrupter asks, from inside a V8 interrupt on this thread, which
 * execution the JavaScript it is about to terminate belongs to (a timer of a finished cell is not
 * the cell running now).
 */
export const RUNNING_EXECUTION = Symbol.for('windowpane.runningExecution');
(globalThis as Record<symbol, unknown>)[RUNNING_EXECUTION] = (): string | undefined => executionStore.getStore()?.id;

/** The execution the calling code belongs to, else the most recent one. */
export function currentExecution(): ExecutionContext | undefined {
  return executionStore.getStore() ?? latest;
}
