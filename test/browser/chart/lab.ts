/**
 * A real JupyterLab (from .venv, with the windowpane extension built and installed) on 127.0.0.1
 * with a token and a temp root, and a real Chromium (Debian's) driven by playwright-core.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';
import { packageRoot } from '../../../src/util/paths.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Lab {
  readonly baseUrl: string;
  readonly token: string;
  readonly rootDir: string;
  readonly spec: TestKernelSpec;
  /** Opens a notebook in JupyterLab in a fresh page. */
  open(notebook: string): Promise<Page>;
  stop(): Promise<void>;
}

function buildExtension(): void {
  const r = spawnSync('bash', [join(packageRoot, 'scripts', 'build-extension.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/build-extension.sh failed');
}

export async function startLab(env: Record<string, string> = {}): Promise<Lab> {
  buildExtension();
  const spec = await installTestKernel(env);
  const rootDir = join(spec.prefix, 'root');
  const lab = join(spec.prefix, 'lab');
  mkdirSync(rootDir);
  mkdirSync(join(lab, 'settings'), { recursive: true });
  const token = randomBytes(16).toString('hex');
  const jupyter = join(process.env.WINDOWPANE_VENV ?? join(packageRoot, '.venv'), 'bin', 'jupyter');
  const args = ['lab', '--no-browser', '--ServerApp.ip=127.0.0.1', '--ServerApp.port=0', '--ServerApp.port_retries=0', `--ServerApp.root_dir=${rootDir}`, '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', '--ServerApp.jpserver_extensions', 'jupyter_lsp=False', '--allow-root'];
  const child = spawn(jupyter, args, {
    cwd: rootDir,
    env: { ...process.env, ...spec.env, JUPYTER_TOKEN: token, JUPYTER_RUNTIME_DIR: join(lab, 'runtime'), JUPYTERLAB_SETTINGS_DIR: join(lab, 'settings'), JUPYTERLAB_WORKSPACES_DIR: join(lab, 'workspaces') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`JupyterLab did not start:\n${log.slice(-3000)}`)), 60_000);
    const onData = (d: Buffer) => {
      log = (log + d.toString()).slice(-50_000);
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`JupyterLab exited (${code}):\n${log.slice(-3000)}`)));
  });
  const baseUrl = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${baseUrl}api/status?token=${token}`).catch(() => undefined);
    if (r?.ok) break;
    await delay(100);
  }
  const userData = mkdtempSync(join(tmpdir(), 'windowpane-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(userData, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  return {
    baseUrl,
    token,
    rootDir,
    spec,
    async open(notebook) {
      const page = await context.newPage();
      await page.goto(`${baseUrl}lab/tree/${notebook}?token=${token}&reset`);
      return page;
    },
    async stop() {
      await context.close().catch(() => undefined);
      await fetch(`${baseUrl}api/shutdown?token=${token}`, { method: 'POST' }).catch(() => undefined);
      const exited = new Promise((r) => child.once('exit', r));
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      spec.remove();
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

export interface ChartMarks {
  /** Rows in the view's dataset, and scenegraph items per mark type. */
  readonly rows: number;
  readonly items: Record<string, number>;
  readonly state: string | undefined;
  readonly updates: number;
  readonly summary: string;
}

// Runs in the page; a string so that the test compiler leaves it as written.
const READ_MARKS = `(i) => {
  const el = document.querySelectorAll('.jp-WindowpaneChart')[i];
  const live = el && el.windowpaneView;
  if (!live) return { rows: -1, items: {}, state: undefined, updates: 0, summary: '' };
  const items = {};
  const walk = (node) => {
    if (node.marktype && node.role === 'mark') items[node.marktype] = (items[node.marktype] || 0) + (node.items ? node.items.length : 0);
    for (const child of node.items || []) walk(child);
  };
  walk(live.view.scenegraph().root);
  let summary = [];
  try { summary = live.view.signal('windowpane_summary'); } catch { /* a chart without the summary line */ }
  return { rows: live.view.data('windowpane').length, items, state: el.dataset.chartState, updates: live.applied, summary: Array.isArray(summary) ? summary.join(' / ') : '' };
}`;

/** Marks drawn by the chart in output `index`, read from its live Vega view's scenegraph. */
export async function chartMarks(page: Page, index = 0): Promise<ChartMarks> {
  return page.evaluate<ChartMarks>(`(${READ_MARKS})(${index})`);
}

/** Waits until `count` chart outputs have their live views. */
export async function waitForCharts(page: Page, count: number): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll('.jp-WindowpaneChart').length >= ${count} && [...document.querySelectorAll('.jp-WindowpaneChart')].every((e) => 'windowpaneView' in e)`, undefined, { timeout: 60_000 });
}
