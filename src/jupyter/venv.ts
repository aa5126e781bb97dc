import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';
import { packageRoot } from '../util/paths.js';

/** The project-local Python environment for Jupyter (WINDOWPANE_VENV overrides). */
export function venvDir(): string {
  return process.env.WINDOWPANE_VENV ?? join(packageRoot, '.venv');
}

export function venvBin(name: string): string {
  return join(venvDir(), 'bin', name);
}

/** The script that creates or updates the environment (quiet when there is nothing to do). */
export const SETUP_SCRIPT = join(packageRoot, 'scripts', 'setup-python.sh');

/** Creates or updates the environment, blocking until done; what it prints goes to stderr. */
export function ensureVenv(): void {
  const r = spawnSync('bash', [SETUP_SCRIPT], { stdio: ['ignore', 2, 2], env: { ...process.env, WINDOWPANE_VENV: venvDir() } });
  checkVenv(r.status === 0);
}

/** The environment as the runner needs it: made once when this checkout has none yet (quick otherwise). */
export function ensureVenvOnce(): void {
  if (!existsSync(venvBin('jupyter'))) ensureVenv();
}

/** Throws the set-up error unless the environment has Jupyter in it. */
export function checkVenv(ok = true): void {
  if (!ok || !existsSync(venvBin('jupyter'))) {
    throw new EnvironmentError('venv-failed', messages.labVenvFailed(venvDir()));
  }
}
