/**
 * A private Jupyter Server for one headless run: from the project's Python environment, on
 * 127.0.0.1, a free port chosen by the OS, a random token, its runtime files in a temp folder.
 * stop() shuts it down through its API (which also stops its kernels), then by signal.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';
import { venvBin } from '../jupyter/venv.js';

export interface JupyterServer {
  /** http://127.0.0.1:PORT/ */
  readonly baseUrl: string;
  readonly token: string;
  readonly pid: number;
  /** The last lines the server (and the kernels it started) printed. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** The folder the server serves; kernels start in it. */
  readonly rootDir: string;
  /** Extra environment for the server and so for every kernel it starts. */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
}

// Server extensions a headless run does not need; leaving them out halves the start time.
const EXTENSIONS_OFF = ['jupyterlab', 'jupyter_lsp', 'jupyter_server_terminals', 'notebook_shim', 'notebook', 'nbclassic'];

export async function startJupyterServer(options: ServerOptions): Promise<JupyterServer> {
  const jupyter = venvBin('jupyter');
  if (!existsSync(jupyter)) throw new EnvironmentError('venv-missing', messages.venvMissing(jupyter));
  const token = randomBytes(24).toString('hex');
  const runtimeDir = mkdtempSync(join(tmpdir(), 'windowpane-jupyter-'));
  const args = [
    'server',
    '--no-browser',
    '--ServerApp.ip=127.0.0.1',
    '--ServerApp.port=0',
    '--ServerApp.port_retries=0',
    // A restarted kernel has lost its state, so the runner treats a restart as death; one try is enough.
    '--KernelRestarter.restart_limit=1',
    `--ServerApp.root_dir=${options.rootDir}`,
    ...EXTENSIONS_OFF.flatMap((e) => ['--ServerApp.jpserver_extensions', `${e}=False`]),
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ];
  const child = spawn(jupyter, args, {
    cwd: options.rootDir,
    env: { ...process.env, ...options.env, JUPYTER_TOKEN: token, JUPYTER_RUNTIME_DIR: runtimeDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `exit code ${code}`;
      resolve();
    }),
  );
  const tail = (lines = 15) => log.trim().split('\n').slice(-lines).join('\n');
  // A run that dies (an uncaught error, Ctrl-C twice) must not leave the server behind.
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  const cleanup = () => {
    process.removeListener('exit', killOnExit);
    rmSync(runtimeDir, { recursive: true, force: true });
  };

  // 1. wait for the line that announces the URL (the port is the OS's choice)
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new EnvironmentError('jupyter-not-ready', messages.serverNotReady(timeoutMs / 1000, tail()))), timeoutMs);
      const onData = (d: Buffer) => {
        log = (log + d.toString()).slice(-20_000);
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new EnvironmentError('jupyter-exited', messages.serverExited(exit ?? '?', tail())));
      });
    });
  } catch (e) {
    killGroup(child.pid, 'SIGKILL');
    await exited;
    cleanup();
    throw e;
  }
  const baseUrl = `http://127.0.0.1:${port}/`;

  // 2. it announces the URL before its event loop binds the port: ask until it answers
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${baseUrl}api/status`, { headers: { Authorization: `token ${token}` } }).catch(() => undefined);
    if (status?.ok) break;
    if (exit !== undefined || Date.now() > deadline || (status !== undefined && status.status !== 503)) {
      killGroup(child.pid, 'SIGKILL');
      await exited;
      cleanup();
      const why = exit !== undefined ? messages.serverExited(exit, tail()) : messages.serverNotReady(timeoutMs / 1000, tail());
      throw new EnvironmentError(exit !== undefined ? 'jupyter-exited' : 'jupyter-not-ready', why);
    }
    await delay(100);
  }

  let stopped: Promise<void> | undefined;
  return {
    baseUrl,
    token,
    pid: child.pid ?? -1,
    logTail: tail,
    stop() {
      stopped ??= (async () => {
        if (exit === undefined) {
          // 3. shut down through the API: the server stops its kernels first
          await fetch(`${baseUrl}api/shutdown`, { method: 'POST', headers: { Authorization: `token ${token}` } }).catch(() => undefined);
          const grace = setTimeout(() => killGroup(child.pid, 'SIGTERM'), 10_000);
          const hard = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 20_000);
          await exited;
          clearTimeout(grace);
          clearTimeout(hard);
        }
        cleanup();
      })();
      return stopped;
    },
  };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
