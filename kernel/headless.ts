/**
 * A headless kernel: `windowpane run` starts it with WINDOWPANE_HEADLESS=1 and the run's bound in
 * WINDOWPANE_UNTIL. The kernel, not the engine, reads them, and hands the bound to the library as
 * its run default, so a live query in a notebook run in CI always ends.
 */
import { runDefaults, setRunDefaults } from '../src/engine/run/defaults.js';
import { HEADLESS_ENV, headlessUntilFromEnv } from '../src/runner/headless.js';

export function isHeadless(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[HEADLESS_ENV] === '1';
}

/** Sets the library's default bound from the runner's environment; a kernel that is not headless keeps the library's own. */
export function applyHeadlessRunDefaults(env: NodeJS.ProcessEnv = process.env): void {
  const until = headlessUntilFromEnv(env);
  if (until !== undefined) setRunDefaults({ ...runDefaults(), until });
}
