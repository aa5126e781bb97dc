import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EnvironmentError } from '../errors.js';
import { messages } from '../messages.js';
import { choosePort } from '../local-kafka/ports.js';
import { venvBin, venvDir } from './venv.js';

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

/** Starts JupyterLab from the project's environment on 127.0.0.1 and waits until it answers. */
export async function startLab(options: LabOptions): Promise<RunningLab> {
  pinLabSettings();
  const port = await choosePort(options.port ?? 8888);
  const token = options.token ?? randomBytes(24).toString('hex');
  const child = spawn(
    venvBin('jupyter'),
    ['lab', '--no-browser', '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0', `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${options.rootDir}`,
      // no announcements or update checks: they reach the internet, which a local run does not need
      '--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
      ...(process.getuid?.() === 0 ? ['--ServerApp.allow_root=True'] : [])],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const onData = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
    options.log?.(d.toString());
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ?? String(code)));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) throw new EnvironmentError('lab-exited', messages.labExited(exited, output.split('\n').slice(-20).join('\n')));
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new EnvironmentError('lab-not-ready', messages.labNotReady(baseUrl, (options.readyTimeoutMs ?? 60_000) / 1000, output.split('\n').slice(-20).join('\n')));
    }
    try {
      const r = await fetch(`${baseUrl}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  const path = options.open ? `/lab/tree/${options.open}` : '/lab';
  return {
    url: `${baseUrl}${path}?token=${token}`,
    baseUrl,
    token,
    port,
    process: child,
    async stop() {
      if (exited !== undefined) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
