/** JupyterLab for `windowpane up`: the shared starter (./server.ts) running `jupyter lab`. */
import type { ChildProcess } from 'node:child_process';
import { choosePort } from '../local-kafka/ports.js';
import { startServer } from './server.js';

export interface RunningLab {
  readonly url: string;
  readonly baseUrl: string;
  readonly token: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface LabOptions {
  readonly rootDir: string;
  readonly port?: number;
  readonly token?: string;
  /** Path under /lab/tree to open, e.g. the quickstart notebook. */
  readonly open?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (chunk: string) => void;
  readonly readyTimeoutMs?: number;
}

/** No announcements or update checks: they reach the internet, which a local run does not need. */
export const LAB_OFFLINE_ARGS = ['--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'];

/** Starts JupyterLab from the project's environment on 127.0.0.1 and waits until it answers. */
export async function startLab(options: LabOptions): Promise<RunningLab> {
  const port = await choosePort(options.port ?? 8888);
  const server = await startServer({
    app: 'lab',
    rootDir: options.rootDir,
    port,
    args: LAB_OFFLINE_ARGS,
    ...(options.token ? { token: options.token } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
  });
  const path = options.open ? `lab/tree/${options.open}` : 'lab';
  return {
    url: `${server.baseUrl}${path}?token=${server.token}`,
    baseUrl: server.baseUrl.slice(0, -1),
    token: server.token,
    port: server.port,
    process: server.process,
    stop: () => server.stop(),
  };
}
