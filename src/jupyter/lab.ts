/** JupyterLab for `windowpane up`: the shared starter (./server.ts) running `jupyter lab`. */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { choosePort } from '../local-kafka/ports.js';
import { startServer } from './server.js';
import { venvDir } from './venv.js';

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

/** JupyterLab settings the environment pins: its own answers to the questions JupyterLab asks on a first start. */
const PINNED_SETTINGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // "Would you like to get notified about official Jupyter news?": no (a local run needs no internet)
  '@jupyterlab/apputils-extension:notification': { fetchNews: 'false', checkForUpdates: false },
};

/**
 * Writes the pinned settings into the environment's overrides.json (JupyterLab's defaults for every
 * user of this environment), keeping whatever else it holds. Returns its path.
 */
export function pinLabSettings(venv: string = venvDir()): string {
  const dir = join(venv, 'share', 'jupyter', 'lab', 'settings');
  const file = join(dir, 'overrides.json');
  let current: Record<string, Record<string, unknown>> = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as typeof current;
    } catch {
      // not JSON: JupyterLab ignores it too; replace it
    }
  }
  const next = { ...current };
  for (const [plugin, values] of Object.entries(PINNED_SETTINGS)) next[plugin] = { ...current[plugin], ...values };
  if (JSON.stringify(next) !== JSON.stringify(current)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
  }
  return file;
}

/** No announcements or update checks: they reach the internet, which a local run does not need. */
export const LAB_OFFLINE_ARGS = ['--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'];

/** Starts JupyterLab from the project's environment on 127.0.0.1 and waits until it answers. */
export async function startLab(options: LabOptions): Promise<RunningLab> {
  pinLabSettings();
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
