/**
 * A private Jupyter Server for one headless run (the shared starter, src/jupyter/server.ts): no
 * JupyterLab UI, the server extensions a run does not need left out (that halves the start time).
 */
import { startServer, type JupyterServer } from '../jupyter/server.js';
import { ensureVenvOnce } from '../jupyter/venv.js';

export type { JupyterServer };

export interface ServerOptions {
  /** The folder the server serves; kernels start in it. */
  readonly rootDir: string;
  /** Extra environment for the server and so for every kernel it starts. */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
}

const EXTENSIONS_OFF = ['jupyterlab', 'jupyter_lsp', 'jupyter_server_terminals', 'notebook_shim', 'notebook', 'nbclassic'];

/** Starts the server; a checkout without the Python environment gets it first (scripts/setup-python.sh). */
export function startJupyterServer(options: ServerOptions): Promise<JupyterServer> {
  ensureVenvOnce();
  return startServer({
    app: 'server',
    rootDir: options.rootDir,
    ...(options.env ? { env: options.env } : {}),
    ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    args: [
      // A restarted kernel has lost its state, so the runner treats a restart as death; one try is enough.
      '--KernelRestarter.restart_limit=1',
      ...EXTENSIONS_OFF.flatMap((e) => ['--ServerApp.jpserver_extensions', `${e}=False`]),
    ],
  });
}
