/** A chart of a query carries its status line: in the output, in every comm message, alone when only it changed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chart, CHART_MIME, table, type ChartPayload, type ToFrontend } from '../../../../src/chart/index.js';
import { isToFrontend } from '../../../../src/chart/protocol.js';
import { row } from '../fixtures.js';
import { RecordingHost } from '../recording-host.js';
import { FakeQuery, progress, T0, until } from './fake-query.js';

const spec = { mark: 'bar', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } } };

test('chart(query): the status line in the payload, the comm messages and the images; alone when only it changes', async () => {
  const host = new RecordingHost();
  const q = new FakeQuery();
  q.current = progress({ phase: 'history', history: { rows: 0, fraction: 0 } });
  const c = chart(q, spec, { host, updatesPerSecond: 20, liveUpdatesPerSecond: 50 });
  await until(() => host.opened.length === 1 && host.opened[0]!.comm.sent.length > 0, 'the comm reset');
  const sent = host.opened[0]!.comm.sent as ToFrontend[];
  const reset = sent[0];
  assert.ok(reset?.type === 'reset' && reset.status?.phase === 'history');
  q.push({ rows: [row(0, 'provisional', { n: 3 })], watermark: null, phase: 'history' });
  await until(() => sent.some((m) => m.type === 'changes'), 'the changes');
  const changes = sent.find((m) => m.type === 'changes');
  assert.ok(changes?.type === 'changes' && changes.status?.phase === 'history');
  // the query moves on with no new rows: the status alone
  q.current = progress({ phase: 'live', at: T0 + 500, watermark: T0, topic: { topics: ['t'], lag: 0, end: 1, position: 1 } });
  await until(() => sent.some((m) => m.type === 'status' && m.status.phase === 'live'), 'a status message');
  assert.ok(sent.every((m) => isToFrontend(m)), 'every message passes the renderer\'s check');
  q.end();
  const result = await c.done;
  assert.equal(result.state, 'finished');
  const end = sent.at(-1);
  assert.ok(end?.type === 'end' && end.status?.phase === 'done');
  const last = host.shown.at(-1)!.data;
  const payload = last[CHART_MIME] as ChartPayload;
  assert.equal(payload.status?.phase, 'done');
  assert.match(String(last['text/plain']), /^<chart: 0 final · 1 provisional.* · 0 late events · finished · done · watermark 2024-01-01 00:00:00Z>$/, 'late events and dead letters once, in the summary');
  assert.match(String(last['image/svg+xml']), />watermark 2024-01-01 00:00:00Z</);
});

test('chart(records): no status line', async () => {
  const c = chart([{ x: 'a', y: 1 }], { mark: 'bar', encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } } }, { display: false });
  await c.done;
  assert.equal(c.payload().status, undefined);
  assert.equal(c.statusLine(), undefined);
});

test('table(query): the status line under the table', async () => {
  const host = new RecordingHost();
  const q = new FakeQuery();
  q.current = progress({ phase: 'live', watermark: T0, topic: { topics: ['t'], lag: 7, end: 7, position: 0 } });
  const t = table(q, { host });
  q.push({ rows: [row(0, 'final', { n: 3 })], watermark: T0, phase: 'live' });
  q.end();
  await t.done;
  const last = host.shown.at(-1)!.data;
  assert.match(String(last['text/html']), /<\/table>\n<div class="windowpane-status" data-phase="done"/);
  assert.match(String(last['text/html']), /<summary>provenance<\/summary>/);
  assert.match(String(last['text/plain']), /\ndone · watermark 2024-01-01 00:00:00Z · 0 late events · 0 dead letters$/);
});
