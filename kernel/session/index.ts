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
import { TypeChecker } from './checker.js';
import { DeferredSession } from './deferred.js';
import { globalsDeclaration } from './globals.js';
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

/** The library, loaded after the session (see library.ts for why it is internal work). */
function loadLibrary(): Promise<Record<string, unknown>> {
  return import('./library.js').then(
    ({ windowpane }) => windowpane as Record<string, unknown>,
    async (e: unknown) => {
      const { libraryWork } = await import('./library-begin.js');
      if (libraryWork.open) endInternalWork();
      libraryWork.open = false;
      throw e;
    },
  );
}

/**
 * Starts the session. It resolves at once with a session that finishes loading in the background,
 * so that the kernel's first kernel_info reply does not wait: 1. the type checker's thread starts
 * (its warm-up takes seconds, beside everything else); 2. TypeScript and the session load (cells
 * wait for that, completion answers from the runtime meanwhile); 3. the session loads the library,
 * and only cells that use its names wait for it.
 */
export function createSession(options: SessionOptions): Promise<Session> {
  const typeErrors = typeErrorMode(options);
  const root = packageRoot();
  const checker = new TypeChecker({ cwd: options.cwd, packageRoot: root, globals: globalsDeclaration({}, options.globals) });
  // Loading evaluates TypeScript's modules: an interrupt must not terminate that.
  beginInternalWork();
  const loading = import('./session.js').then(({ CellSession }) => new CellSession({ ...options, typeErrors }, root, checker, loadLibrary));
  loading.then(endInternalWork, endInternalWork);
  loading.catch(() => checker.dispose());
  return Promise.resolve(new DeferredSession(loading));
}
