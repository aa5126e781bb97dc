import { createRequire, isBuiltin } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { register, type NamespacedUnregister } from 'tsx/esm/api';

type Importer = (specifier: string, options?: ImportCallOptions) => Promise<unknown>;

/** How cells load modules: `import` statements compile to `loader.import(...)`. */
export interface ModuleLoader {
  import(specifier: string, options?: ImportCallOptions): Promise<unknown>;
  require(specifier: string): unknown;
}

const JS_FILE = /\.(mjs|cjs|js|json|node|wasm)$/;
const PATH = /^(\.{1,2}\/|\/|file:)/;

/**
 * Resolves like a module that lives in the notebook folder, then like one in this package (so the
 * kernel's own dependencies, vega-lite for example, are importable from any notebook):
 * - `windowpane` is the library instance the kernel itself runs (the preloaded one, once loaded);
 * - node built-ins and packages load through Node's own ESM loader (ESM-only packages included), with
 *   the notebook folder as the referrer, so a package is one instance across cells and the kernel;
 * - local TypeScript files (and extensionless paths) load through tsx, in one namespace per session.
 */
export function moduleLoader(cwd: string, packageRoot: string, windowpane: () => Promise<object>): ModuleLoader {
  let tsx: NamespacedUnregister | undefined;
  const viaTsx = (dir: string): Importer => {
    const parent = pathToFileURL(join(dir, '[cell]')).href;
    return (specifier) => {
      tsx ??= register({ namespace: `windowpane-cells-${process.pid}` });
      return (tsx.import(specifier, parent) as Promise<unknown>).then(esModuleInterop);
    };
  };
  const fromCwd = nativeImporter(cwd) ?? viaTsx(cwd);
  const fromPackage = nativeImporter(packageRoot) ?? viaTsx(packageRoot);
  const localTs = viaTsx(cwd);
  const requireCwd = createRequire(join(cwd, '[cell]'));
  const requirePackage = createRequire(join(packageRoot, '[cell]'));

  return {
    async import(specifier, options) {
      if (specifier === 'windowpane') return windowpane();
      if (isBuiltin(specifier)) return (await import(specifier)) as unknown;
      if (PATH.test(specifier) && !JS_FILE.test(specifier)) return localTs(specifier);
      if (specifier.startsWith('windowpane/')) return fromPackage(specifier, options);
      try {
        return await fromCwd(specifier, options);
      } catch (e) {
        if (PATH.test(specifier) || !isPackageNotFound(e)) throw e;
        return fromPackage(specifier, options);
      }
    },
    require(specifier) {
      try {
        return requireCwd(specifier) as unknown;
      } catch (e) {
        if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND' || PATH.test(specifier)) throw e;
        return requirePackage(specifier) as unknown;
      }
    },
  };
}

/**
 * A .ts file outside an ESM package is compiled to CommonJS by tsx; its namespace then holds the
 * exports object as `default`. Unwrap it (`__esModule`), so `import d, { x }` means what it says.
 */
function esModuleInterop(namespace: unknown): unknown {
  const inner = (namespace as { default?: unknown }).default;
  return typeof inner === 'object' && inner !== null && (inner as { __esModule?: unknown }).__esModule === true ? inner : namespace;
}

function isPackageNotFound(e: unknown): boolean {
  return (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && /Cannot find package/.test(String((e as Error).message));
}

/**
 * `import()` with `dir` as the referrer: a one-line script compiled under a file name in `dir` and
 * handed Node's default loader (Node 20 has no unflagged import.meta.resolve(specifier, parent)).
 * Undefined on a Node without that loader option; tsx resolves instead.
 */
function nativeImporter(dir: string): Importer | undefined {
  const loader = (vm.constants as Partial<typeof vm.constants> | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (loader === undefined) return undefined;
  // The option is marked experimental in Node 20; its warning says nothing useful to a notebook user.
  const { emitWarning } = process as { emitWarning: (...args: unknown[]) => void };
  process.emitWarning = () => undefined;
  try {
    const script = new vm.Script('(specifier, options) => import(specifier, options)', {
      filename: join(dir, '[windowpane cell]'),
      importModuleDynamically: loader,
    });
    const importer = script.runInThisContext() as Importer;
    // Node emits the warning on the first import through the script, synchronously: do it now.
    importer('node:path').catch(() => undefined);
    return importer;
  } finally {
    process.emitWarning = emitWarning;
  }
}
