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

/** Creates or updates the environment (scripts/setup-python.sh; quiet when nothing is to do). */
export function ensureVenv(): void {
  const r = spawnSync('bash', [join(packageRoot, 'scripts', 'setup-python.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, WINDOWPANE_VENV: venvDir() } });
  if (r.status !== 0 || !existsSync(venvBin('jupyter'))) {
    throw new EnvironmentError('venv-failed', messages.labVenvFailed(venvDir()));
  }
}
