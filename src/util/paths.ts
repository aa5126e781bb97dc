import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';

/** The windowpane package folder (the one holding package.json), from src/ or dist/src/. */
export const packageRoot: string = (() => {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new EnvironmentError('no-package-root', messages.packageRootMissing(fileURLToPath(import.meta.url)));
})();

/** Project-local state (broker data and logs, the Python environment marker, run files). */
export function stateDir(): string {
  return resolve(process.env.WINDOWPANE_STATE_DIR ?? join(packageRoot, '.windowpane'));
}
