/** A query shown alone: its live status line, updated in place while it runs, static once it ends. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveStatus } from '../../../../src/chart/index.js';
import { presentQuery } from '../../../../src/engine/query/present.js';
import { setNotebookHost } from '../../../../src/notebook/host.js';
import { RecordingHost } from '../recording-host.js';
import { FakeQuery, progress, T0, until } from './fake-query.js';

afterEach(() => setNotebookHost(undefined));

const html = (host: RecordingHost, i = -1) => String(host.shown.at(i)?.data['text/html']);

test('the line is shown, updated by display_id as the query moves on, and final when it ends', async () => {
  const host = new RecordingHost();
  const q = new FakeQuery();
  q.current = progress({ phase: 'history', history: { rows: 10, fraction: 0.1 } });
  const status = new LiveStatus(q, host, 50);
  const running = status.start();
  await until(() => host.shown.length === 1, 'the first display');
  const first = host.shown[0]!;
  assert.equal(first.update, false);
  assert.match(String(first.displayId), /^windowpane-status-/);
  assert.match(html(host, 0), /data-phase="history"[^>]*>.*history 10% · 10 rows/);
  q.current = progress({ phase: 'live', at: T0 + 1000, watermark: T0, topic: { topics: ['t'], lag: 0, end: 5, position: 5 } });
  await until(() => /data-phase="live"/.test(html(host)), 'the live phase shown');
  assert.ok(host.shown.slice(1).every((s) => s.update && s.displayId === first.displayId));
  assert.match(html(host), /lag 0 events \(0 s\)/);
  assert.match(html(host), /<summary>provenance<\/summary>/);
  q.end();
  await running;
  assert.match(html(host), /data-phase="done"/);
  assert.match(String(host.shown.at(-1)?.data['text/plain']), /^done · watermark 2024-01-01 00:00:00Z/);
  const shown = host.shown.length;
  q.current = progress({ phase: 'live' });
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(host.shown.length, shown, 'no update after the end');
});

test('an interrupt of the cell leaves the line as it is', async () => {
  const host = new RecordingHost();
  const q = new FakeQuery();
  const running = new LiveStatus(q, host, 50).start();
  await until(() => host.shown.length === 1, 'the first display');
  host.interrupt();
  await until(() => host.shown.length === 2, 'the last update');
  q.current = progress({ phase: 'live' });
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(host.shown.length, 2);
  q.end();
  await running;
});

test('as a cell value: in a notebook the query shows its live line; elsewhere a line of text', async () => {
  const q = new FakeQuery();
  q.current = progress({ phase: 'live', events: 3 });
  assert.match(String(presentQuery(q)['text/plain']), /^live · watermark none yet · 0 late events/);
  const host = new RecordingHost();
  setNotebookHost(host);
  assert.deepEqual(presentQuery(q), { 'text/plain': '' });
  await until(() => host.shown.length === 1, 'the status display');
  assert.match(html(host), /class="windowpane-status" data-phase="live"/);
  q.end();
  await until(() => /data-phase="done"/.test(html(host)), 'the final line');
});
