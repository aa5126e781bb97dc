/**
 * The status line of a live query in real Chromium (JupyterLab, the windowpane kernel, the test
 * broker): a chart of a query over a Parquet history that then reads its topic from the earliest
 * offset shows, in turn, the history with its progress, the hand-off working off the topic's
 * records with its lag falling, and live with a lag of zero; its provenance opens with a click. The
 * query shown alone in a cell shows the same line. Every state the line took is recorded in the page
 * by a MutationObserver, so none is missed between two looks (kept in test-results/chart-status-seen.json).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTopic, testKafka, testKafkaSettings } from '../../helpers/kafka.js';
import { startLab, waitForCharts, type Lab } from './lab.js';

const HISTORY_ROWS = 3_000_000;
// Enough records that the hand-off outlasts the chart's first render and the opening of its comm
// (status lines sent before that are replaced by the latest one), by seconds.
const TOPIC_RECORDS = 400_000;
const DAY2 = Date.UTC(2024, 0, 2);
/** The watermark once every record is read: the last event's time (no out-of-orderness). */
const LAST_EVENT = new Date(DAY2 + (TOPIC_RECORDS - 1) * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
let lab: Lab;
const kafka = testKafka();

before(async () => {
  lab = await startLab({ WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(',') });
});
after(async () => {
  await lab?.stop();
});

/** A day of events in Parquet (the history), one a few milliseconds apart, in the notebook's folder. */
async function writeHistory(file: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`COPY (SELECT TIMESTAMP '2024-01-01' + INTERVAL (i * 25) MILLISECOND AS ts, 'g' || (i % 5) AS g, i AS v FROM range(${HISTORY_ROWS}) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.closeSync();
  db.closeSync();
}

/** The next day's events on the topic, before the query starts: the hand-off reads them all. */
async function fillTopic(topic: string): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let from = 0; from < TOPIC_RECORDS; from += 5000) {
    const messages = Array.from({ length: 5000 }, (_, j) => {
      const i = from + j;
      return { value: JSON.stringify({ ts: new Date(DAY2 + i * 1000).toISOString(), g: `g${i % 5}`, v: i }) };
    });
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
}

interface Seen {
  readonly phase: string;
  readonly lag: number | undefined;
  readonly text: string;
}

// Runs in the page before the cell: records every state of every chart status line.
const OBSERVE = `() => {
  window.statusSeen = [];
  const note = () => {
    const el = document.querySelector('.jp-WindowpaneChart-status');
    if (!el || el.hidden) return;
    const s = { phase: el.dataset.phase, lag: el.dataset.lag === undefined ? undefined : Number(el.dataset.lag), text: el.textContent };
    const last = window.statusSeen[window.statusSeen.length - 1];
    if (!last || last.phase !== s.phase || last.lag !== s.lag || last.text !== s.text) window.statusSeen.push(s);
  };
  new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
}`;

test('a live query\'s status line shows history, then the hand-off with its lag falling, then live with no lag', { timeout: 600_000 }, async () => {
  const topic = await createTopic({ partitions: 1, kafka });
  await writeHistory(join(lab.rootDir, 'history.parquet'));
  await fillTopic(topic);
  const cells = [
    [
      `const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: 0, history: { parquet: 'history.parquet' }, live: { topic: '${topic}', startAt: 'earliest' } });`,
      "const q = await sql(`SELECT window_start, g, count(*) AS n FROM TUMBLE(ev, ts, '1 hour') GROUP BY ALL`, { sources: [ev], emit: 'updates', updateInterval: 100 });",
      "chart(q, { mark: 'line', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' }, color: { field: 'g', type: 'nominal' } } }, { updatesPerSecond: 20 });",
    ].join('\n'),
    'q',
  ];
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'windowpane', display_name: 'Windowpane (TypeScript)', language: 'typescript' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, execution_count: null, metadata: {}, source, outputs: [] })),
  };
  writeFileSync(join(lab.rootDir, 'status.ipynb'), JSON.stringify(nb));
  const page = await lab.open('status.ipynb');
  const results = join(process.cwd(), 'test-results');
  mkdirSync(results, { recursive: true });
  try {
    await page.locator('.jp-StatusBar-TextItem', { hasText: /Windowpane\) \| Idle/ }).first().waitFor({ timeout: 90_000 });
    await page.evaluate(`(${OBSERVE})()`);
    await page.locator('.jp-Cell .jp-InputArea-editor').first().click();
    await page.keyboard.press('Shift+Enter');
    await waitForCharts(page, 1);
    // 1. live, caught up: the line says so, with no lag
    await page.locator('.jp-WindowpaneChart-status[data-phase="live"][data-lag="0"]').waitFor({ timeout: 300_000 });
    const seen = await page.evaluate<Seen[]>('window.statusSeen');
    writeFileSync(join(results, 'chart-status-seen.json'), JSON.stringify(seen, null, 1));
    const phases = seen.map((s) => s.phase).filter((p, i, all) => p !== all[i - 1]);
    const order = ['starting', 'history', 'handoff', 'live'];
    assert.deepEqual(phases.filter((p) => order.includes(p)), [...phases].sort((a, b) => order.indexOf(a) - order.indexOf(b)), `the phases never go back: ${phases.join(' → ')}`);
    for (const p of ['history', 'handoff', 'live']) assert.ok(phases.includes(p), `the line showed ${p}: ${phases.join(' → ')}`);
    // 2. the hand-off: the topic's records ahead of the query, fewer and fewer
    const handoff = seen.filter((s) => s.phase === 'handoff');
    assert.ok(handoff.every((s) => (s.lag ?? 0) > 0), 'the hand-off lasts while records are left');
    assert.ok(handoff.length === 1 || handoff.at(-1)!.lag! < handoff[0]!.lag!, `the lag falls during the hand-off: ${handoff.map((s) => s.lag).join(', ')}`);
    assert.ok(handoff[0]!.lag! <= TOPIC_RECORDS);
    const live = seen.filter((s) => s.phase === 'live');
    assert.match(live.at(-1)!.text, new RegExp(`^live · watermark ${LAST_EVENT} · lag 0 events \\(0 s\\) · [\\d,]+ events/s · 0 late events · 0 dead letters`));
    const history = seen.filter((s) => s.phase === 'history');
    assert.ok(history.some((s) => /^history( \d+%)?/.test(s.text)), history.map((s) => s.text).join(' | '));
    // 3. provenance, one click away
    const status = page.locator('.jp-WindowpaneChart-status');
    await status.locator('summary', { hasText: 'provenance' }).click();
    await page.waitForFunction(`/"topic": "${topic}"/.test(document.querySelector('.jp-WindowpaneChart-provenance pre')?.textContent ?? '')`, undefined, { timeout: 30_000 });
    await page.locator('.jp-WindowpaneChart').first().screenshot({ path: join(results, 'chart-status.png') });
    // 4. the query alone in a cell: the same line, as HTML
    await page.locator('.jp-Cell .jp-InputArea-editor').nth(1).click();
    await page.keyboard.press('Shift+Enter');
    const alone = page.locator('.jp-OutputArea-output .windowpane-status[data-phase="live"]');
    await alone.waitFor({ timeout: 60_000 });
    assert.match((await alone.textContent()) ?? '', new RegExp(`live · watermark ${LAST_EVENT} · lag 0 events`));
  } catch (e) {
    await page.screenshot({ path: join(results, 'chart-status-failure.png') }).catch(() => undefined);
    throw e;
  } finally {
    await page.close();
  }
});
