/**
 * Connecting to a Jupyter Server and starting one kernel on it through @jupyterlab/services, and
 * watching that kernel for death (a crash, an automatic restart, a lost connection).
 */
import { KernelManager, KernelSpecAPI, ServerConnection, type Kernel, type KernelMessage } from '@jupyterlab/services';
import { setTimeout as delay } from 'node:timers/promises';
import { EnvironmentError, NotebookError } from '../errors.js';
import { messages } from '../messages.js';

export interface StartedKernel {
  readonly connection: Kernel.IKernelConnection;
  readonly name: string;
  readonly displayName: string;
  readonly language: string;
  readonly info: KernelMessage.IInfoReply;
  readonly watch: KernelWatch;
  /** Shuts the kernel down (best effort) and closes the connection. */
  close(): Promise<void>;
}

export interface KernelChoice {
  readonly baseUrl: string;
  readonly token: string;
  /** Kernel name: --kernel, else the notebook's kernelspec, else the server's default. */
  readonly name: string | undefined;
  /** Working folder relative to the server's root, for servers the runner did not start. */
  readonly path?: string;
  readonly startupTimeoutMs: number;
}

export interface ResolvedSpec {
  readonly settings: ServerConnection.ISettings;
  readonly name: string;
  readonly displayName: string;
  readonly language: string;
}

/** Finds the kernelspec on the server; the error lists the kernels it has. */
export async function resolveKernelSpec(choice: KernelChoice): Promise<ResolvedSpec> {
  const settings = ServerConnection.makeSettings({ baseUrl: choice.baseUrl, wsUrl: 'ws' + choice.baseUrl.slice(4), token: choice.token, appendToken: true });
  let specs: Awaited<ReturnType<typeof KernelSpecAPI.getSpecs>>;
  try {
    specs = await KernelSpecAPI.getSpecs(settings);
  } catch (cause) {
    throw new EnvironmentError('jupyter-unreachable', messages.serverUnreachable(choice.baseUrl, String((cause as Error).message ?? cause)), { cause });
  }
  const name = choice.name ?? specs.default;
  const spec = specs.kernelspecs[name];
  if (!spec) throw new NotebookError('kernel-unknown', messages.kernelUnknown(name, Object.keys(specs.kernelspecs).join(', ')), { context: { kernel: name } });
  return { settings, name, displayName: spec.display_name, language: spec.language };
}

/** Starts the kernel and waits for its kernel_info reply. */
export async function startKernel(spec: ResolvedSpec, choice: KernelChoice): Promise<StartedKernel> {
  const manager = new KernelManager({ serverSettings: spec.settings });
  await manager.ready;
  // The server accepts `path` (the kernel's working folder) though the client's type omits it.
  const create = { name: spec.name, ...(choice.path !== undefined ? { path: choice.path } : {}) };
  const connection = await manager.startNew(create);
  const timeout = new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new NotebookError('kernel-not-started', messages.kernelNotStarted(spec.name, choice.startupTimeoutMs / 1000))), choice.startupTimeoutMs);
    t.unref();
  });
  const watch = new KernelWatch(connection, () => probeKernel(spec.settings, connection.id));
  const close = async () => {
    watch.stop();
    // After an automatic restart the client reconnects by itself; disposing it mid-way leaves that
    // reconnect promise rejected with no handler, so let it finish first.
    if (watch.restarted && connection.connectionStatus === 'connecting') await settledConnection(connection, 10_000);
    if (!connection.isDisposed) await connection.shutdown().catch(() => undefined);
    connection.dispose();
    manager.dispose();
  };
  try {
    const info = await Promise.race([connection.info, timeout, watch.died.then((why) => Promise.reject(new NotebookError('kernel-died', messages.kernelStopped(spec.name, why), { context: { kernel: spec.name, why } })))]);
    return { connection, name: spec.name, displayName: spec.displayName, language: info.language_info.name || spec.language, info, watch, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Resolves `died` with a reason the first time the kernel dies, restarts or loses its connection. */
export class KernelWatch {
  readonly died: Promise<string>;
  reason: string | undefined;
  /** The server restarted the kernel (the client then reconnects by itself). */
  restarted = false;
  private resolve!: (why: string) => void;

  /** `probe` says why the kernel is gone, or undefined while it is still there. */
  constructor(
    private readonly kernel: Kernel.IKernelConnection,
    private readonly probe: () => Promise<string | undefined> = () => Promise.resolve(undefined),
  ) {
    this.died = new Promise((r) => (this.resolve = r));
    kernel.statusChanged.connect(this.onStatus);
    kernel.connectionStatusChanged.connect(this.onConnection);
  }

  stop(): void {
    this.kernel.statusChanged.disconnect(this.onStatus);
    this.kernel.connectionStatusChanged.disconnect(this.onConnection);
  }

  private fire(why: string): void {
    if (this.reason !== undefined) return;
    this.reason = why;
    this.resolve(why);
  }

  private readonly onStatus = (_: Kernel.IKernelConnection, status: KernelMessage.Status): void => {
    if (status === 'dead') this.fire('the kernel process is dead');
    else if (status === 'restarting' || status === 'autorestarting') {
      this.restarted = true;
      this.fire('the kernel process exited and the server restarted it');
    }
  };

  private readonly onConnection = (_: Kernel.IKernelConnection, status: Kernel.ConnectionStatus): void => {
    if (status === 'disconnected') this.fire('the connection to the Jupyter server was lost');
    // The client retries with growing pauses for about two minutes; ask the server whether there
    // is anything left to reconnect to.
    if (status === 'connecting') void this.probeWhileConnecting();
  };

  private async probeWhileConnecting(): Promise<void> {
    for (let i = 0; i < 3 && this.reason === undefined && this.kernel.connectionStatus === 'connecting'; i++) {
      const why = await this.probe();
      if (why === undefined) return;
      if (i === 2) this.fire(why);
      else await delay(1000);
    }
  }
}

function settledConnection(kernel: Kernel.IKernelConnection, limitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      kernel.connectionStatusChanged.disconnect(onChange);
      resolve();
    };
    const onChange = (_: Kernel.IKernelConnection, status: Kernel.ConnectionStatus) => {
      if (status !== 'connecting') done();
    };
    const timer = setTimeout(done, limitMs);
    kernel.connectionStatusChanged.connect(onChange);
  });
}

/** Why the kernel cannot come back: the server does not answer, or no longer has it. */
async function probeKernel(settings: ServerConnection.ISettings, id: string): Promise<string | undefined> {
  try {
    const r = await fetch(`${settings.baseUrl}api/kernels/${id}`, { headers: { Authorization: `token ${settings.token}` }, signal: AbortSignal.timeout(5000) });
    return r.status === 404 ? 'the Jupyter server no longer has the kernel' : undefined;
  } catch {
    return 'the Jupyter server stopped answering';
  }
}
