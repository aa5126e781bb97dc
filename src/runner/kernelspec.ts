/**
 * The windowpane kernelspec for a server the runner starts: a per-run copy in a temporary
 * JUPYTER_PATH entry, pointing at this package's built kernel and carrying the headless environment,
 * so `windowpane run` works without `windowpane kernel install` and never starts a stale install.
 * It goes after any JUPYTER_PATH the caller set, so an explicitly chosen kernelspec still wins.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DEFAULT_KERNEL_NAME, installKernelSpec, kernelEntry } from '../jupyter/kernelspec.js';

export interface RunKernelspec {
  /** The JUPYTER_PATH for the server. */
  readonly jupyterPath: string;
  remove(): void;
}

export async function perRunKernelspec(env: Readonly<Record<string, string>>, callerPath: string | undefined): Promise<RunKernelspec | undefined> {
  if (!existsSync(kernelEntry)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-run-kernelspec-'));
  await installKernelSpec({ kernelsDir: join(dir, 'kernels'), name: DEFAULT_KERNEL_NAME, env: { ...env } });
  return {
    jupyterPath: [callerPath, dir].filter((p): p is string => p !== undefined && p !== '').join(delimiter),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
