/**
 * A small filesystem for the kernel to fill: a 16 MB tmpfs at `dir`. The kernel runs in a mount
 * namespace of its own (`unshare -Urm`, no root needed) where the tmpfs is mounted before it starts,
 * so nothing is left mounted if the test dies. Where user namespaces are not allowed, root mounts
 * the tmpfs here instead (and `remove()` unmounts it). Neither possible: a clear error, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKernelArgv } from '../helpers/jupyter.js';

export interface SmallFs {
  /** The mount point (inside the kernel's namespace, or here). */
  readonly dir: string;
  readonly sizeMB: number;
  /** How it was made: the kernel's own mount namespace, or a mount by root in this one. */
  readonly how: 'namespace' | 'mount';
  /** The kernelspec argv that starts the kernel where the tmpfs is mounted. */
  readonly kernelArgv: readonly string[];
  remove(): void;
}

function sh(cmd: string, args: readonly string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export function smallFs(sizeMB = 16): SmallFs {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-smallfs-'));
  const mount = ['-t', 'tmpfs', '-o', `size=${sizeMB}m`, 'tmpfs', dir];
  // 1. a mount namespace of the kernel's own
  const probe = sh('unshare', ['-Urm', '--', 'mount', ...mount]);
  if (probe.ok) {
    return {
      dir, sizeMB, how: 'namespace',
      kernelArgv: ['unshare', '-Urm', '--', 'sh', '-c', `mount ${mount.join(' ')} && exec "$@"`, 'sh', ...testKernelArgv()],
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  // 2. root mounts it here
  const here = sh('mount', mount);
  if (here.ok) {
    return {
      dir, sizeMB, how: 'mount',
      kernelArgv: testKernelArgv(),
      remove: () => {
        sh('umount', [dir]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`test setup: the full-spill-folder fault needs a small filesystem, made with a user namespace (unshare -Urm: ${probe.out.trim()}) or by root (mount: ${here.out.trim()}); allow one of them (sysctl kernel.unprivileged_userns_clone=1, or run the tests as root)`);
}
