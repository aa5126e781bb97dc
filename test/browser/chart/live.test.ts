/**
 * The whole path in real Chromium: JupyterLab with the extension, the windowpane kernel, a live
 * windowed query over the local Kafka drawn by chart(). Events produced by the test change the marks
 * (read from the live Vega view), arrive over the comm, and an interrupt stops the chart.
 * A screenshot of the live chart is kept in test-results/chart-live.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createTopic, testKafka, testKafkaSettings } from '../../helpers/kafka.js';
import { chartMarks, startLab, waitForCharts, type Lab } from './lab.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
let lab: Lab;
const kafka = testKafka();
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });

before(async () => {
  lab = await startLab({ WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(',') });
  await producer.connect();
});
after(async () => {
  await producer.disconnect();
  await lab?.stop();
});

async function send(topic: string, minute: number, g: string, count: number): Promise<void> {
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ value: JSON.stringify({ ts: new Date(T0 + minute * MINUTE + i * 1000).toISOString(), g, v: i }) })) });
}

async function waitMarks(page: Page, what: string, check: (m: Awaited<ReturnType<typeof chartMarks>>) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await chartMarks(page);
    if (check(m)) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(m)}`);
    await page.waitForTimeout(100);
  }
}

test('a live query drawn by chart() in JupyterLab: events change the marks, an interrupt stops it', async () => {
  const topic = await createTopic({ partitions: 1, kafka });
  const cell = [
    `const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: 0, live: { topic: '${topic}', startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT' } });`,
    "const q = await sql(`SELECT window_start, g, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY window_start, g`, { sources: [ev], emit: 'updates', updateInterval: 100 });",
    "await chart(q, { title: 'Events per minute', mark: 'bar', encoding: { x: { field: 'window_start', type: 'ordinal', timeUnit: 'utchoursminutes' }, y: { field: 'n', type: 'quantitative' }, xOffset: { field: 'g' }, color: { field: 'g', type: 'nominal' } } }).done;",
  ].join('\n');
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'windowpane', display_name: 'Windowpane (TypeScript)', language: 'typescript' } },
    cells: [{ cell_type: 'code', id: 'live', execution_count: null, metadata: {}, source: cell, outputs: [] }],
  };
  writeFileSync(join(lab.rootDir, 'live.ipynb'), JSON.stringify(nb));
  const page = await lab.open('live.ipynb');
  // 1. run the cell once the kernel is idle
  await page.locator('.jp-StatusBar-TextItem', { hasText: /Windowpane\) \| Idle/ }).first().waitFor({ timeout: 90_000 });
  await page.locator('.jp-Cell .jp-InputArea-editor').first().click();
  await page.keyboard.press('Shift+Enter');
  mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
  await waitForCharts(page, 1).catch(async (e: unknown) => {
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'chart-live-failure.png') });
    throw e;
  });
  // 2. events arrive: provisional bars, then final ones, over the comm
  await send(topic, 0, 'a', 3);
  await send(topic, 0, 'b', 2);
  let m = await waitMarks(page, 'two bars', (x) => x.rows === 2 && x.items.rect === 2);
  assert.equal(m.state, 'live');
  assert.match(m.summary, /2 provisional/);
  await send(topic, 2, 'a', 4);
  m = await waitMarks(page, 'three bars, minute 0 final', (x) => x.rows === 3 && /2 final · 1 provisional/.test(x.summary));
  assert.equal(m.items.rect, 3);
  assert.ok(m.updates > 0, 'changesets were applied to the live view');
  assert.equal(await page.locator('.jp-WindowpaneChart').first().getAttribute('data-comm'), 'kernel', 'changes come over the comm the kernel opened');
  assert.equal(await page.locator('.jp-WindowpaneChart-state').first().textContent(), 'live');
  await page.locator('.jp-WindowpaneChart').first().screenshot({ path: join(process.cwd(), 'test-results', 'chart-live.png') });
  // 3. interrupt: the chart stops, and later events change nothing
  const sessions = (await (await fetch(`${lab.baseUrl}api/sessions?token=${lab.token}`)).json()) as { kernel: { id: string } }[];
  const kernelId = sessions[0]?.kernel.id;
  assert.ok(kernelId);
  await fetch(`${lab.baseUrl}api/kernels/${kernelId}/interrupt?token=${lab.token}`, { method: 'POST' });
  m = await waitMarks(page, 'the interrupted state', (x) => x.state === 'interrupted');
  assert.match(m.summary, /interrupted/);
  await page.locator('.jp-OutputArea-output').filter({ hasText: 'KeyboardInterrupt' }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  await send(topic, 4, 'b', 5);
  await page.waitForTimeout(1500);
  const after = await chartMarks(page);
  assert.equal(after.rows, 3, 'no new marks after the interrupt');
  await page.screenshot({ path: join(process.cwd(), 'test-results', 'chart-live-stopped.png') });
  await page.close();
});

test('a chart left running after its cell ends reconnects after a page reload (the renderer opens the comm)', async () => {
  const topic = await createTopic({ partitions: 1, kafka });
  const cell = [
    `const ev2 = source({ name: 'ev', time: 'ts', maxOutOfOrderness: 0, live: { topic: '${topic}', startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT' } });`,
    "const q2 = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY window_start`, { sources: [ev2], emit: 'updates', updateInterval: 100 });",
    "const c2 = chart(q2, { mark: 'point', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } } });",
  ].join('\n');
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'windowpane', display_name: 'Windowpane (TypeScript)', language: 'typescript' } },
    cells: [{ cell_type: 'code', id: 'bg', execution_count: null, metadata: {}, source: cell, outputs: [] }],
  };
  writeFileSync(join(lab.rootDir, 'background.ipynb'), JSON.stringify(nb));
  let page = await lab.open('background.ipynb');
  await page.locator('.jp-StatusBar-TextItem', { hasText: /Windowpane\) \| Idle/ }).first().waitFor({ timeout: 90_000 });
  await page.locator('.jp-Cell .jp-InputArea-editor').first().click();
  await page.keyboard.press('Shift+Enter');
  await waitForCharts(page, 1);
  await send(topic, 0, 'a', 2);
  await waitMarks(page, 'one point', (x) => x.rows === 1 && x.items.symbol === 1);
  // the cell has ended; the output keeps its display_id, the query keeps running
  await page.keyboard.press('Control+s');
  await page.waitForTimeout(500);
  await page.reload();
  page = page.context().pages().at(-1) ?? page;
  await waitForCharts(page, 1);
  await page.locator('.jp-WindowpaneChart[data-comm="open"]').first().waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'chart-reload-failure.png') });
    throw new Error(`comm after reload: ${await page.locator('.jp-WindowpaneChart').first().getAttribute('data-comm')}`, { cause: e });
  });
  await send(topic, 1, 'a', 3);
  await send(topic, 2, 'a', 1);
  const m = await waitMarks(page, 'three points after the reload', (x) => x.rows === 3 && x.items.symbol === 3);
  assert.equal(m.state, 'live');
  await page.close();
});
