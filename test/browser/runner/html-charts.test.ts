/**
 * `windowpane run --html`: a chart output is a static image in the file, and becomes a live Vega view
 * when the page runs JavaScript (real Chromium, file:// with the network blocked).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { runNotebook } from '../../../src/runner/run.js';

const fixture = fileURLToPath(new URL('../../fixtures/notebooks/chart-output.ipynb', import.meta.url));
let dir: string;
let browser: Browser;
console.debug = () => undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'windowpane-html-charts-'));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an exported chart shows its static image without JavaScript and a live Vega view with it; Vega-Lite outputs come alive too', async () => {
  const html = join(dir, 'chart.html');
  const result = await runNotebook({ input: fixture, output: join(dir, 'chart.out.ipynb'), html });
  assert.deepEqual(result.outcome, { status: 'ok' });
  const text = readFileSync(html, 'utf8');
  assert.match(text, /<div class="windowpane-chart" data-windowpane-chart="[A-Za-z0-9+/=]+"><img alt="chart" src="data:image\/svg\+xml;base64,/);

  const requests: string[] = [];
  const still = await browser.newPage({ javaScriptEnabled: false });
  await still.goto(pathToFileURL(html).href);
  assert.equal(await still.locator('.windowpane-chart img').count(), 1, 'the static image without JavaScript');
  const status = still.locator('.windowpane-status[data-phase="done"]');
  assert.equal(await status.locator('[data-item="deadLetters"]').textContent(), '1 dead letter', "the chart's status line as it was last");
  await status.locator('summary', { hasText: 'provenance' }).click();
  assert.match(await status.locator('pre').textContent() ?? '', /"topic": "delays"/, 'the provenance one click away');
  await still.close();

  const page = await browser.newPage();
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(html).href);
  const charts = page.locator('.windowpane-chart');
  await charts.nth(0).locator('svg .mark-rect path').first().waitFor();
  await charts.nth(1).locator('svg .mark-rect path').first().waitFor();
  assert.equal(await charts.nth(0).locator('svg .mark-rect path').count(), 3, 'the windowpane chart: one bar per row');
  assert.equal(await charts.nth(1).locator('svg .mark-rect path').count(), 4, 'the Vega-Lite spec, compiled in the page: one bar per value');
  assert.equal(await page.locator('.windowpane-chart img').count(), 0, 'the image was replaced');
  assert.equal(await page.locator('.windowpane-status').count(), 1, 'the status line stays beside the live view');
  await page.close();
  assert.deepEqual(requests.filter((u) => u.includes('vega')), [], 'vega comes inlined, not fetched');
});
