/**
 * The one Jupyter server starter: `windowpane up` (JupyterLab), the headless runner (a bare Jupyter
 * Server) and the browser and Jupyter tests all start their server here.
 *
 * The server runs from the project's Python environment on 127.0.0.1 with a token, in its own
 * process group, its runtime files in a temp folder. `startServer` returns once the server answers
 * its API; stop() shuts it down through the API (which stops its kernels), then by signal to the
 * whole group, and returns once the process is gone and its port is free. Whatever fails after the
 * start, the caller stops it: `stopOnFailure(server, next)` runs the next steps and stops the server
 * when they throw. A process that exits without stopping it (an uncaught error, or SIGINT, SIGTERM
 * or SIGHUP when it has no handler of its own, such as a test file the test runner's timeout ends)
 * still sends the server SIGTERM on its way out, so the server stops its kernels and ends by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';
import { isPortFree } from '../local-kafka/ports.js';
import { venvBin } from './venv.js';

export interface JupyterServerOptions {
  /** `jupyter server` (no UI; the default) or `jupyter lab`. */
  readonly app?: 'server' | 'lab';
  /** The folder the server serves; kernels start in it. */
  readonly rootDir: string;
  /** A fixed port; by default the OS chooses a free one. */
  readonly port?: number;
  /** By default a random one. */
  readonly token?: string;
  /** Extra environment for the server and so for every kernel it starts. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** More command-line options for the app. */
  readonly args?: readonly string[];
  readonly readyTimeoutMs?: number;
  /** Receives everything the server prints. */
  readonly log?: (chunk: string) => void;
}

export interface JupyterServer {
  /** http://127.0.0.1:PORT/ */
  readonly baseUrl: string;
  readonly port: number;
  readonly token: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Settles when the server process has exited, with its exit code or signal. */
  readonly exited: Promise<string>;
  /** The last lines the server (and the kernels it started) printed. */
  logTail(lines?: number): string;
  /** Idempotent; resolves once the process group is gone and the port is free. */
  stop(): Promise<void>;
}

export const SERVER_STOP_GRACE_MS = 10_000;

/** Starts a Jupyter server and waits until it answers /api/status. */
export async function startServer(options: JupyterServerOptions): Promise<JupyterServer> {
  const app = options.app ?? 'server';
  const jupyter = venvBin('jupyter');
  if (!existsSync(jupyter)) throw new EnvironmentError('venv-missing', messages.venvMissing(jupyter));
  const token = options.token ?? randomBytes(24).toString('hex');
  const runtimeDir = mkdtempSync(join(tmpdir(), 'windowpane-jupyter-'));
  const args = [
    app,
    '--no-browser',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${options.port ?? 0}`,
    '--ServerApp.port_retries=0',
    `--ServerApp.root_dir=${options.rootDir}`,
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ...(options.args ?? []),
  ];
  const child = spawn(jupyter, args, {
    cwd: options.rootDir,
    env: { ...process.env, ...options.env, JUPYTER_TOKEN: token, JUPYTER_RUNTIME_DIR: runtimeDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: a Ctrl-C in the terminal reaches only us, and stop() can signal the group
    detached: true,
  });
  let log = '';
  let exit: string | undefined;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `exit code ${code}`;
      resolve(exit);
    }),
  );
  const tail = (lines = 15) => log.trim().split('\n').slice(-lines).join('\n');
  const onData = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
    options.log?.(d.toString());
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const leaveOnExit = () => killGroup(child.pid, 'SIGTERM');
  process.once('exit', leaveOnExit);
  running.add(child.pid ?? -1);
  exitOnSignals();
  const cleanup = () => {
    process.removeListener('exit', leaveOnExit);
    running.delete(child.pid ?? -1);
    exitOnSignals();
    rmSync(runtimeDir, { recursive: true, force: true });
  };
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const fail = async (port: number | undefined): Promise<never> => {
    killGroup(child.pid, 'SIGKILL');
    await exited;
    if (port !== undefined) await portFreed(port);
    cleanup();
    const url = port === undefined ? undefined : `http://127.0.0.1:${port}/`;
    throw exit !== undefined && exit !== 'SIGKILL'
      ? new EnvironmentError('jupyter-exited', messages.serverExited(app, exit, tail()))
      : new EnvironmentError('jupyter-not-ready', messages.serverNotReady(app, url, timeoutMs / 1000, tail()));
  };

  // 1. the port: the fixed one, or the one the server announces (the OS's choice)
  const deadline = Date.now() + timeoutMs;
  let port = options.port;
  while (port === undefined || port === 0) {
    const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
    if (m) port = Number(m[1]);
    else if (exit !== undefined || Date.now() > deadline) return fail(undefined);
    else await Promise.race([delay(50), exited]);
  }

  // 2. it announces the URL before its event loop binds the port: ask until it answers
  const baseUrl = `http://127.0.0.1:${port}/`;
  for (;;) {
    const status = await fetch(`${baseUrl}api/status`, { headers: { Authorization: `token ${token}` } }).catch(() => undefined);
    if (status?.ok) break;
    if (exit !== undefined || Date.now() > deadline || (status !== undefined && status.status !== 503)) return fail(port);
    await delay(100);
  }

  let stopped: Promise<void> | undefined;
  const serverPort = port;
  return {
    baseUrl,
    port: serverPort,
    token,
    pid: child.pid ?? -1,
    process: child,
    exited,
    logTail: tail,
    stop() {
      stopped ??= (async () => {
        if (exit === undefined) {
          // 3. shut down through the API: the server stops its kernels first; then by signal
          await fetch(`${baseUrl}api/shutdown`, { method: 'POST', headers: { Authorization: `token ${token}` } }).catch(() => undefined);
          const grace = setTimeout(() => killGroup(child.pid, 'SIGTERM'), SERVER_STOP_GRACE_MS);
          const hard = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2 * SERVER_STOP_GRACE_MS);
          await exited;
          clearTimeout(grace);
          clearTimeout(hard);
        }
        // 4. anything left in its group, then wait for the port
        killGroup(child.pid, 'SIGKILL');
        await portFreed(serverPort);
        cleanup();
      })();
      return stopped;
    },
  };
}

/**
 * Runs the steps that follow a server's start; when they throw, stops the server before passing
 * the error on, so a failure after the start leaves no process or port behind.
 */
export async function stopOnFailure<T>(server: { stop(): Promise<void> }, next: () => Promise<T>): Promise<T> {
  try {
    return await next();
  } catch (e) {
    await server.stop().catch(() => undefined);
    throw e;
  }
}

// A signal's default action ends the process without its 'exit' listeners; while a server runs,
// a signal nobody else handles becomes process.exit with the usual code, so those listeners run.
const running = new Set<number>();
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
const onSignal = (signal: NodeJS.Signals) => {
  if (process.listenerCount(signal) === 1) process.exit(SIGNALS[signal as keyof typeof SIGNALS]);
};
function exitOnSignals(): void {
  for (const signal of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) {
    process.removeListener(signal, onSignal);
    if (running.size > 0) process.on(signal, onSignal);
  }
}

async function portFreed(port: number): Promise<void> {
  for (let i = 0; i < 50 && !(await isPortFree(port)); i++) await delay(100);
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
