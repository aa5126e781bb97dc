/** Processes in tests. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Whether a pid is still running (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a child the way a user would (SIGINT, so what it started stops too) unless it has exited,
 * and waits for it to exit; SIGKILL after `graceMs` if it does not.
 */
export async function interruptChild(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
