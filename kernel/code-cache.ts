/**
 * Loads a large CommonJS file (TypeScript's 9 MB) through V8's code cache, as Node 22's module
 * compile cache would: the first kernel compiles it and saves the compiled code, later kernels
 * start from that (about a quarter of the time). The cache lives in $XDG_CACHE_HOME/windowpane
 * (else ~/.cache/windowpane), one file per source file, its size and mtime, and the Node version;
 * V8 itself rejects a cache that does not match, and a cache that cannot be read or written is
 * simply not used.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

export interface CachedModule {
  readonly exports: unknown;
  /** Writes the cache, once, unless a good one was used: call it after the module's first use, so lazily compiled functions are in it. */
  save(): void;
}

function cacheFile(file: string): string {
  const { size, mtimeMs } = statSync(file);
  const key = createHash('sha256').update(`${file}\0${size}\0${mtimeMs}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 16);
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'windowpane');
  return join(dir, `${basename(file)}-${key}.v8`);
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

export function requireWithCodeCache(file: string): CachedModule {
  let path: string | undefined;
  try {
    path = cacheFile(file);
  } catch {
    path = undefined;
  }
  const cachedData = path === undefined ? undefined : readCache(path);
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  let pending = path !== undefined && (cachedData === undefined || script.cachedDataRejected === true);
  return {
    exports: module.exports,
    save() {
      if (!pending || path === undefined) return;
      pending = false;
      try {
        mkdirSync(dirname(path), { recursive: true });
        const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, path);
      } catch {
        // no cache then: the next kernel compiles TypeScript again
      }
    },
  };
}
