/**
 * The Windowpane kernelspec: the kernel.json (and logos) that lets JupyterLab, Jupyter Server and
 * nbconvert start the kernel, and the kernels/ folders Jupyter looks in. `windowpane kernel
 * install` writes one into a folder the user picks; `windowpane run` writes a per-run copy.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';
import { packageRoot } from '../util/paths.js';

export const DEFAULT_KERNEL_NAME = 'windowpane';

/** The built kernel a kernelspec runs by default. */
export const kernelEntry = join(packageRoot, 'dist', 'kernel', 'main.js');

export interface KernelSpecOptions {
  /** The kernels/ folder to install into. */
  readonly kernelsDir: string;
  readonly name?: string;
  /** The command Jupyter runs; defaults to node on the built kernel. */
  readonly argv?: readonly string[];
  readonly env?: Record<string, string>;
}

/** Where a kernelspec goes: the user's Jupyter data folder, the project's Python environment, or DIR/share/jupyter. */
export type KernelsTarget = { readonly kind: 'user' } | { readonly kind: 'sys-prefix' } | { readonly kind: 'prefix'; readonly dir: string };

export function kernelSpec(argv: readonly string[], env: Record<string, string> = {}): Record<string, unknown> {
  return { argv, display_name: 'TypeScript (Windowpane)', language: 'typescript', interrupt_mode: 'message', env, metadata: { debugger: false } };
}

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="10" fill="#1f4e79"/><rect x="10" y="10" width="20" height="20" fill="#9cc3e6"/><rect x="34" y="10" width="20" height="20" fill="#d6e8f7"/><rect x="10" y="34" width="20" height="20" fill="#d6e8f7"/><rect x="34" y="34" width="20" height="20" fill="#f2b134"/></svg>`;

/** Writes <kernelsDir>/<name>/kernel.json plus logos; returns the folder. */
export async function installKernelSpec(options: KernelSpecOptions): Promise<string> {
  const argv = options.argv ?? [process.execPath, kernelEntry, '-f', '{connection_file}'];
  if (options.argv === undefined && !existsSync(kernelEntry)) throw new EnvironmentError('kernel-not-built', messages.kernelNotBuilt(kernelEntry));
  const dir = join(options.kernelsDir, options.name ?? DEFAULT_KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(kernelSpec(argv, options.env), null, 2) + '\n');
  writeFileSync(join(dir, 'logo-svg.svg'), LOGO);
  try {
    const { Resvg } = await import('@resvg/resvg-js');
    for (const size of [32, 64]) writeFileSync(join(dir, `logo-${size}x${size}.png`), new Resvg(LOGO, { fitTo: { mode: 'width', value: size } }).render().asPng());
  } catch {
    // PNG logos are optional (the SVG one is enough for JupyterLab)
  }
  return dir;
}

/** The kernels/ folder of a target, as Jupyter finds it. */
export function kernelsDir(target: KernelsTarget, env: NodeJS.ProcessEnv = process.env): string {
  switch (target.kind) {
    case 'prefix':
      return join(target.dir, 'share', 'jupyter', 'kernels');
    case 'sys-prefix': {
      const venv = env.WINDOWPANE_VENV ?? env.VIRTUAL_ENV ?? join(packageRoot, '.venv');
      if (!existsSync(venv)) throw new EnvironmentError('kernel-install-target', messages.kernelInstallNoVenv());
      return join(venv, 'share', 'jupyter', 'kernels');
    }
    case 'user': {
      const data = env.JUPYTER_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
      return join(data, 'kernels');
    }
  }
}
