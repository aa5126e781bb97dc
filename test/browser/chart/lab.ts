/**
 * A real JupyterLab (from .venv, with the windowpane extension built and installed) on 127.0.0.1
 * with a token and a temp root, and a real Chromium (Debian's) driven by playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';
import { startServer, stopOnFailure, type JupyterServer } from '../../../src/jupyter/server.js';
import { LAB_OFFLINE_ARGS } from '../../../src/jupyter/lab.js';
import { packageRoot } from '../../../src/util/paths.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const CHROMIUM = '/usr/bin/chromium';

export interface Lab {
  readonly baseUrl: string;
  readonly token: string;
  readonly rootDir: string;
  readonly spec: TestKernelSpec;
  readonly server: JupyterServer;
  /** Opens a notebook in JupyterLab in a fresh page. */
  open(notebook: string): Promise<Page>;
  stop(): Promise<void>;
}

export interface LabOptions {
  /** Called with the server as soon as it answers, before the browser starts. */
  readonly onServer?: (server: JupyterServer, rootDir: string) => void;
  readonly executablePath?: string;
}

function buildExtension(): void {
  const r = spawnSync('bash', [join(packageRoot, 'scripts', 'build-extension.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/build-extension.sh failed');
}

/**
 * JupyterLab with the extension and the test kernel, and Chromium. When any step after the
 * server's start fails (Chromium missing, say), the server, the kernelspec and the browser profile
 * are removed before the error is passed on.
 */
export async function startLab(env: Record<string, string> = {}, options: LabOptions = {}): Promise<Lab> {
  buildExtension();
  const spec = await installTestKernel(env);
  const rootDir = join(spec.prefix, 'root');
  const lab = join(spec.prefix, 'lab');
  mkdirSync(rootDir);
  mkdirSync(join(lab, 'settings'), { recursive: true });
  const server = await startServer({
    app: 'lab',
    rootDir,
    args: [...LAB_OFFLINE_ARGS, '--ServerApp.jpserver_extensions', 'jupyter_lsp=False'],
    env: { ...spec.env, JUPYTERLAB_SETTINGS_DIR: join(lab, 'settings'), JUPYTERLAB_WORKSPACES_DIR: join(lab, 'workspaces') },
  }).catch((e: unknown) => {
    spec.remove();
    throw e;
  });
  const userData = mkdtempSync(join(tmpdir(), 'windowpane-chromium-'));
  const remove = () => {
    spec.remove();
    rmSync(userData, { recursive: true, force: true });
  };
  const context: BrowserContext = await stopOnFailure({ stop: () => server.stop().finally(remove) }, async () => {
    options.onServer?.(server, rootDir);
    return chromium.launchPersistentContext(userData, { executablePath: options.executablePath ?? CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  });
  const { baseUrl, token } = server;
  return {
    baseUrl,
    token,
    rootDir,
    spec,
    server,
    async open(notebook) {
      const page = await context.newPage();
      await page.goto(`${baseUrl}lab/tree/${notebook}?token=${token}&reset`);
      return page;
    },
    async stop() {
      await context.close().catch(() => undefined);
      await server.stop();
      remove();
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
