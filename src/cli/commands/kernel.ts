import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, EnvironmentError } from '../../errors.js';
import { messages } from '../../messages.js';
import { packageRoot } from '../../util/paths.js';
import { parseFlags, type Command } from '../command.js';

const usage = `usage: windowpane kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME]

Installs the Jupyter kernelspec "TypeScript (Windowpane)" so JupyterLab, Jupyter Server and
nbconvert can start the kernel (node ${join(packageRoot, 'dist', 'kernel', 'main.js')}).
  --user        into the user's Jupyter data folder (the default)
  --sys-prefix  into the project's Python environment (WINDOWPANE_VENV or VIRTUAL_ENV)
  --prefix DIR  into DIR/share/jupyter/kernels (then set JUPYTER_PATH=DIR/share/jupyter)
  --name NAME   kernelspec name (default windowpane)`;

export interface KernelSpecOptions {
  /** The kernels/ folder to install into. */
  readonly kernelsDir: string;
  readonly name?: string;
  /** The command Jupyter runs; defaults to node on the built kernel. */
  readonly argv?: readonly string[];
  readonly env?: Record<string, string>;
}

export function kernelSpec(argv: readonly string[], env: Record<string, string> = {}): Record<string, unknown> {
  return { argv, display_name: 'TypeScript (Windowpane)', language: 'typescript', interrupt_mode: 'message', env, metadata: { debugger: false } };
}

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="10" fill="#1f4e79"/><rect x="10" y="10" width="20" height="20" fill="#9cc3e6"/><rect x="34" y="10" width="20" height="20" fill="#d6e8f7"/><rect x="10" y="34" width="20" height="20" fill="#d6e8f7"/><rect x="34" y="34" width="20" height="20" fill="#f2b134"/></svg>`;

/** Writes <kernelsDir>/<name>/kernel.json plus logos; returns the folder. */
export async function installKernelSpec(options: KernelSpecOptions): Promise<string> {
  const entry = join(packageRoot, 'dist', 'kernel', 'main.js');
  const argv = options.argv ?? [process.execPath, entry, '-f', '{connection_file}'];
  if (options.argv === undefined && !existsSync(entry)) throw new EnvironmentError('kernel-not-built', messages.kernelNotBuilt(entry));
  const dir = join(options.kernelsDir, options.name ?? 'windowpane');
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

/** Where `--user`, `--sys-prefix` and `--prefix DIR` put kernelspecs. */
export function kernelsDir(flags: Map<string, string[]>): string {
  const chosen = ['user', 'sys-prefix', 'prefix'].filter((f) => flags.has(f));
  if (chosen.length > 1) throw new ConfigError('kernel-install-target', messages.kernelInstallTarget(chosen.map((f) => `--${f}`).join(', ')));
  if (flags.has('prefix')) {
    const dir = flags.get('prefix')![0] ?? '';
    if (dir === '') throw new ConfigError('kernel-install-target', messages.kernelInstallTarget('--prefix without a folder'));
    return join(dir, 'share', 'jupyter', 'kernels');
  }
  if (flags.has('sys-prefix')) {
    const venv = process.env.WINDOWPANE_VENV ?? process.env.VIRTUAL_ENV ?? join(packageRoot, '.venv');
    if (!existsSync(venv)) throw new EnvironmentError('kernel-install-target', messages.kernelInstallNoVenv());
    return join(venv, 'share', 'jupyter', 'kernels');
  }
  const data = process.env.JUPYTER_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
  return join(data, 'kernels');
}

export const kernelCommand: Command = {
  name: 'kernel',
  summary: 'install the TypeScript Jupyter kernel (kernelspec "windowpane")',
  usage,
  async run(args) {
    const { positional, flags } = parseFlags(args, ['user', 'sys-prefix']);
    if (positional[0] !== 'install' || positional.length > 1) {
      process.stderr.write(usage + '\n');
      return 2;
    }
    const name = flags.get('name')?.[0] ?? 'windowpane';
    if (!/^[a-z0-9._-]+$/i.test(name)) throw new ConfigError('kernel-name', messages.kernelNameInvalid(name));
    const dir = await installKernelSpec({ kernelsDir: kernelsDir(flags), name });
    process.stdout.write(`Installed kernelspec ${name} in ${dir}\n`);
    return 0;
  },
};
