import { ConfigError } from '../../errors.js';
import { DEFAULT_KERNEL_NAME, installKernelSpec, kernelEntry, kernelsDir, type KernelsTarget } from '../../jupyter/kernelspec.js';
import { messages } from '../../messages.js';
import { parseFlags, type Command } from '../command.js';

const usage = `usage: windowpane kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME]

Installs the Jupyter kernelspec "TypeScript (Windowpane)" so JupyterLab, Jupyter Server and
nbconvert can start the kernel (node ${kernelEntry}).
  --user        into the user's Jupyter data folder (the default)
  --sys-prefix  into the project's Python environment (WINDOWPANE_VENV or VIRTUAL_ENV)
  --prefix DIR  into DIR/share/jupyter/kernels (then set JUPYTER_PATH=DIR/share/jupyter)
  --name NAME   kernelspec name (default ${DEFAULT_KERNEL_NAME})`;

/** The install target `--user`, `--sys-prefix` or `--prefix DIR` names (at most one; `--user` by default). */
export function installTarget(flags: ReadonlyMap<string, readonly string[]>): KernelsTarget {
  const chosen = ['user', 'sys-prefix', 'prefix'].filter((f) => flags.has(f));
  if (chosen.length > 1) throw new ConfigError('kernel-install-target', messages.kernelInstallTarget(chosen.map((f) => `--${f}`).join(', ')));
  if (flags.has('prefix')) {
    const dir = flags.get('prefix')![0] ?? '';
    if (dir === '') throw new ConfigError('kernel-install-target', messages.kernelInstallTarget('--prefix without a folder'));
    return { kind: 'prefix', dir };
  }
  return flags.has('sys-prefix') ? { kind: 'sys-prefix' } : { kind: 'user' };
}

export const kernelCommand: Command = {
  name: 'kernel',
  summary: `install the TypeScript Jupyter kernel (kernelspec "${DEFAULT_KERNEL_NAME}")`,
  usage,
  async run(args) {
    const { positional, flags } = parseFlags(args, ['user', 'sys-prefix']);
    if (positional[0] !== 'install' || positional.length > 1) {
      process.stderr.write(usage + '\n');
      return 2;
    }
    const name = flags.get('name')?.[0] ?? DEFAULT_KERNEL_NAME;
    if (!/^[a-z0-9._-]+$/i.test(name)) throw new ConfigError('kernel-name', messages.kernelNameInvalid(name));
    const dir = await installKernelSpec({ kernelsDir: kernelsDir(installTarget(flags)), name });
    process.stdout.write(`Installed kernelspec ${name} in ${dir}\n`);
    return 0;
  },
};
