/**
 * The TypeScript cell session (see kernel/README.md, "Session"): createSession is what the protocol
 * layer calls once per kernel process.
 */
import { beginInternalWork, endInternalWork } from '../internal-work.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { DeferredSession } from './deferred.js';
import type { Session, SessionOptions } from './types.js';

export type { Session, SessionOptions } from './types.js';
export { errorOutcome } from './traceback.js';

/** The folder of this package's package.json (the source tree, or the installed package). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'windowpane') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new ConfigError('no-package-root', messages.sessionNoPackageRoot(fileURLToPath(import.meta.url)));
    dir = parent;
  }
}

const MODES = ['warn', 'error', 'ignore'] as const;

/** typeErrors from the options, else WINDOWPANE_TYPE_ERRORS, else 'warn'. */
function typeErrorMode(options: SessionOptions): SessionOptions['typeErrors'] {
  const env = process.env.WINDOWPANE_TYPE_ERRORS;
  if (options.typeErrors !== undefined || env === undefined || env === '') return options.typeErrors ?? 'warn';
  if (!(MODES as readonly string[]).includes(env)) throw new ConfigError('invalid-type-errors', messages.sessionTypeErrorsEnv(env), { context: { variable: 'WINDOWPANE_TYPE_ERRORS', value: env } });
  return env as (typeof MODES)[number];
}

/**
 * Starts the session. It resolves at once with a session that finishes loading in the background
 * (TypeScript and the library), so that the kernel's first kernel_info reply does not wait for them.
 */
export function createSession(options: SessionOptions): Promise<Session> {
  const typeErrors = typeErrorMode(options);
  const root = packageRoot();
  // Loading evaluates TypeScript's and the library's modules: an interrupt must not terminate that.
  beginInternalWork();
  const loading = Promise.all([import('./session.js'), import('../../src/index.js')]).then(
    // The kernel's own instance of the library: the one `import 'windowpane'` in a cell gets, too.
    ([{ CellSession }, windowpane]) => new CellSession({ ...options, typeErrors }, root, windowpane as Record<string, unknown>),
  );
  loading.then(endInternalWork, endInternalWork);
  return Promise.resolve(new DeferredSession(loading));
}
