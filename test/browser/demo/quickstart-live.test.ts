/**
 * The first ten minutes, in real Chromium: `windowpane up` (a private broker, the looping demo
 * stream made fast with --demo-speedup) has been running for longer than one pass of the live days
 * when the quickstart is opened in its JupyterLab and run; the chart's marks still change (new windows
 * keep arriving at the right edge), the whole chart is inside its canvas and the canvas inside the
 * output area, the stats line describes what the query has read, and JupyterLab asks no news question.
 * Screenshots go to test-results/quickstart-live*.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from 'playwright-core';
import { freePort, isPortFree } from '../../../src/local-kafka/ports.js';
import { packageRoot } from '../../../src/util/paths.js';
import { CHROMIUM_ARGS, waitForCharts } from '../chart/lab.js';
import { interruptChild } from '../../helpers/process.js';

const results = join(packageRoot, 'test-results');
// two live days in ten seconds: a pass of the demo data is short
const SPEEDUP = 17_280;

interface Drawn {
  readonly rows: number;
  readonly latestStart: number;
  readonly rects: number;
  readonly summary: string;
  /** Painted content beyond the canvas, per side (px), and beyond the output area. */
  readonly outside: readonly string[];
}

// Runs in the page; a string so that the test compiler leaves it as written.
const READ = `() => {
  const el = document.querySelector('.jp-WindowpaneChart');
  const live = el && el.windowpaneView;
  if (!live) return undefined;
  const view = live.view;
  const data = view.data('windowpane');
  let rects = 0;
  const walk = (n) => { if (n.marktype === 'rect' && n.role === 'mark') rects += (n.items || []).length; for (const c of n.items || []) walk(c); };
  const root = view.scenegraph().root;
  walk(root);
  const canvas = el.querySelector('canvas');
  const box = canvas.getBoundingClientRect();
  const [ox, oy] = view.origin();
  const b = root.bounds;
  const outside = [];
  if (b.x1 + ox < -1) outside.push('left ' + (-(b.x1 + ox)));
  if (b.y1 + oy < -1) outside.push('top ' + (-(b.y1 + oy)));
  if (b.x2 + ox > box.width + 1) outside.push('right ' + (b.x2 + ox - box.width));
  if (b.y2 + oy > box.height + 1) outside.push('bottom ' + (b.y2 + oy - box.height));
  if (el.scrollWidth > el.clientWidth + 1) outside.push('the output area scrolls: ' + el.scrollWidth + ' > ' + el.clientWidth);
  let summary = [];
  try { summary = view.signal('windowpane_summary'); } catch {}
  return { rows: data.length, latestStart: Math.max(0, ...data.map((d) => Number(d.window_start))), rects, summary: summary.join(' / '), outside };
}`;

async function drawn(page: Page): Promise<Drawn | undefined> {
  return page.evaluate<Drawn | undefined>(`(${READ})()`);
}

test('the quickstart, opened after more than one pass of the demo data, shows a chart that still changes and fits', { timeout: 420_000 }, async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'windowpane-quickstart-live-'));
  const notebooks = join(stateDir, 'notebooks');
  mkdirSync(notebooks);
  mkdirSync(results, { recursive: true });
  // a copy, so that JupyterLab's autosave never writes outputs into notebooks/
  copyFileSync(join(packageRoot, 'notebooks', 'quickstart.ipynb'), join(notebooks, 'quickstart.ipynb'));
  const env: NodeJS.ProcessEnv = { ...process.env, WINDOWPANE_STATE_DIR: stateDir, WINDOWPANE_KAFKA_PORT: String(await freePort()) };
  delete env.WINDOWPANE_KAFKA_BROKERS;
  const up = spawn(process.execPath, [join(packageRoot, 'bin', 'windowpane.js'), 'up', '--json', '--port', String(await freePort()), '--notebooks', notebooks, '--demo-speedup', String(SPEEDUP)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const secondPass = new Promise<void>((resolve) => up.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), /demo stream: pass 2 /.test(stderr) && resolve())));
  const userData = mkdtempSync(join(tmpdir(), 'windowpane-chromium-'));
  const context = await chromium.launchPersistentContext(userData, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  let info: { url: string; kafka: string } | undefined;
  try {
    for await (const line of createInterface({ input: up.stdout })) {
      info = JSON.parse(line) as typeof info;
      break;
    }
    assert.ok(info, stderr);
    // 1. up has been running for longer than one pass of the live days
    await secondPass;

    // 2. open the quickstart in up's JupyterLab and run all cells
    const page = await context.newPage();
    await page.goto(info.url);
    await page.locator('.jp-StatusBar-TextItem', { hasText: /Windowpane\) \| Idle/ }).first().waitFor({ timeout: 120_000 });
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
    await waitForCharts(page, 1).catch(async (e: unknown) => {
      await page.screenshot({ path: join(results, 'quickstart-live-failure.png') });
      throw new Error(`no chart: ${String(e)}\n${stderr}`);
    });

    // 3. the marks keep changing: later windows arrive while we watch
    let first: Drawn | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !((first = await drawn(page)) && first.rects > 0)) await page.waitForTimeout(250);
    assert.ok(first && first.rects > 0, 'the chart draws rects');
    // An hour of event time passes in 0.2 s here, so a window can open and close between two
    // updates of the chart and arrive final at once: provisional windows are seen at some moments of
    // the watch, not at every one.
    let later = first;
    const summaries = new Set<string>([first.summary]);
    const filling = () => [...summaries].some((s) => /provisional/.test(s));
    while (Date.now() < deadline && (later.latestStart <= first.latestStart || !filling())) {
      await page.waitForTimeout(250);
      later = (await drawn(page)) ?? later;
      summaries.add(later.summary);
    }
    assert.ok(later.latestStart > first.latestStart, `new windows keep arriving: latest window ${new Date(first.latestStart).toISOString()} then ${new Date(later.latestStart).toISOString()}`);
    assert.ok(new Date(later.latestStart) > new Date('2001-01-17T00:00:00Z'), 'the chart shows windows of a later pass of the live days');
    assert.ok(filling(), `windows are still filling (a provisional window is drawn while we watch): ${[...summaries].join(' | ')}`);
    await page.locator('.jp-WindowpaneChart').first().screenshot({ path: join(results, 'quickstart-live-chart.png') });

    // 4. it fits: nothing painted outside the canvas, the canvas inside the output area
    assert.deepEqual(later.outside, [], 'the whole chart is visible');

    // 5. the stats line describes the state the query has reached, not an empty one
    const stats = page.locator('.jp-OutputArea-output').filter({ hasText: /flights · \d+ final windows/ }).first();
    await stats.waitFor({ timeout: 60_000 });
    const m = /(\d+) flights · (\d+) final windows · (\d+) open · watermark: (\S+)/.exec((await stats.textContent()) ?? '');
    assert.ok(m, 'the stats line');
    assert.ok(Number(m[1]) > 0 && Number(m[2]) > 0, `the stats describe what was read: ${m[0]}`);
    assert.notEqual(m[4], 'none', m[0]);

    // 6. no news question from JupyterLab
    assert.equal(await page.locator('.Toastify__toast', { hasText: /news/i }).count(), 0, 'JupyterLab asks nothing about news');
    await page.screenshot({ path: join(results, 'quickstart-live.png') });
    await page.close();
  } finally {
    await context.close().catch(() => undefined);
    rmSync(userData, { recursive: true, force: true });
    await interruptChild(up);
    if (info) {
      assert.equal(await isPortFree(Number(new URL(info.url).port)), true, 'JupyterLab stopped');
      assert.equal(await isPortFree(Number(info.kafka.split(':')[1])), true, 'the broker stopped');
    }
    rmSync(stateDir, { recursive: true, force: true });
  }
});
