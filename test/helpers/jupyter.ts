/**
 * A real Jupyter Server for tests, with the Windowpane kernel installed into a temporary prefix
 * (JUPYTER_PATH points there, so the user's own kernelspecs are not involved).
 *
 *   const jupyter = await startTestJupyter();          // then at once: t.after(() => jupyter.stop())
 *   const kernel = await jupyter.startKernel();         // a KernelConnection to the windowpane kernel
 *
 * The kernel runs from source through tsx (`node --import tsx kernel/main.ts`), so tests never run
 * a stale dist/. Set WINDOWPANE_TEST_KERNEL=dist to run the built kernel instead.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelManager, ServerConnection, type Kernel } from '@jupyterlab/services';
import { installKernelSpec } from '../../src/jupyter/kernelspec.js';
import { startJupyterServer, type JupyterServer } from '../../src/runner/server.js';
import { packageRoot } from '../../src/util/paths.js';

export const TEST_KERNEL_NAME = 'windowpane';

/** The command a test kernelspec runs. */
export function testKernelArgv(): string[] {
  if (process.env.WINDOWPANE_TEST_KERNEL === 'dist') return [process.execPath, join(packageRoot, 'dist', 'kernel', 'main.js'), '-f', '{connection_file}'];
  const entry = join(packageRoot, 'kernel', 'main.ts');
  // Kernels start in the notebook's folder, so tsx is named by its full location.
  return [process.execPath, '--import', import.meta.resolve('tsx'), entry, '-f', '{connection_file}'];
}

export interface TestKernelSpec {
  /** The prefix folder; JUPYTER_PATH is <prefix>/share/jupyter. */
  readonly prefix: string;
  readonly jupyterPath: string;
  /** Environment for anything that should find the kernel (a Jupyter server, jupyter_client). */
  readonly env: Record<string, string>;
  remove(): void;
}

/** Installs the windowpane kernelspec into a fresh temporary prefix (`argv`: a wrapper around testKernelArgv(), say). */
export async function installTestKernel(env: Record<string, string> = {}, argv: readonly string[] = testKernelArgv()): Promise<TestKernelSpec> {
  const prefix = mkdtempSync(join(tmpdir(), 'windowpane-kernelspec-'));
  const jupyterPath = join(prefix, 'share', 'jupyter');
  const state = join(prefix, 'state');
  mkdirSync(state);
  await installKernelSpec({ kernelsDir: join(jupyterPath, 'kernels'), name: TEST_KERNEL_NAME, argv: [...argv] });
  return {
    prefix,
    jupyterPath,
    env: { JUPYTER_PATH: jupyterPath, WINDOWPANE_HISTORY_FILE: join(state, 'history.jsonl'), ...env },
    remove: () => rmSync(prefix, { recursive: true, force: true }),
  };
}

export interface TestJupyter {
  readonly server: JupyterServer;
  readonly settings: ServerConnection.ISettings;
  readonly rootDir: string;
  readonly spec: TestKernelSpec;
  /** Starts a windowpane kernel and waits until it answers kernel_info. */
  startKernel(name?: string): Promise<Kernel.IKernelConnection>;
  stop(): Promise<void>;
}

export async function startTestJupyter(options: { env?: Record<string, string>; kernelArgv?: readonly string[] } = {}): Promise<TestJupyter> {
  const spec = await installTestKernel(options.env, options.kernelArgv);
  const rootDir = join(spec.prefix, 'root');
  mkdirSync(rootDir);
  // the runner's server (the shared starter); on failure nothing is left, the kernelspec included
  const server = await startJupyterServer({ rootDir, env: spec.env }).catch((e: unknown) => {
    spec.remove();
    throw e;
  });
  const settings = ServerConnection.makeSettings({ baseUrl: server.baseUrl, wsUrl: 'ws' + server.baseUrl.slice(4), token: server.token, appendToken: true });
  const manager = new KernelManager({ serverSettings: settings });
  return {
    server,
    settings,
    rootDir,
    spec,
    async startKernel(name = TEST_KERNEL_NAME) {
      await manager.ready;
      const kernel = await manager.startNew({ name });
      const died = new Promise<never>((_, reject) =>
        kernel.statusChanged.connect((_k, status) => {
          if (status === 'dead') reject(new Error(`kernel ${name} died during start; see the Jupyter server log`));
        }),
      );
      await Promise.race([kernel.info, died]);
      return kernel;
    },
    async stop() {
      manager.dispose();
      await server.stop();
      spec.remove();
    },
  };
}
