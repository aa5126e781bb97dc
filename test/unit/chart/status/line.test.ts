/** The status line's items and their text, from one progress reading and what the sampler derived. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusLine, statusLines, statusText } from '../../../../src/chart/status/line.js';
import { bytes, duration } from '../../../../src/chart/status/format.js';
import { statusHtml } from '../../../../src/chart/status/html.js';
import { isStatusLine } from '../../../../src/chart/protocol.js';
import { progress, T0 } from './fake-query.js';

const topic = { topics: ['t'], lag: 1234, end: 5000, position: 3766 };

test('history: the fraction, rows and bytes read and the ETA', () => {
  const line = statusLine(progress({ phase: 'history', history: { rows: 1_234_567, totalRows: 3_000_000, bytes: 48_200_000, totalBytes: 100_000_000, fraction: 0.42 }, topic }), { etaMs: 3400 });
  assert.equal(line.phase, 'history');
  assert.equal(line.lag, 1234);
  assert.deepEqual(line.items.map((i) => i.name), ['phase', 'watermark', 'lag', 'late', 'deadLetters']);
  assert.equal(statusText(line), 'history 42% · 1,234,567 rows · 48 MB read · ETA 3 s · watermark none yet · lag 1,234 events · 0 late events · 0 dead letters');
  assert.ok(isStatusLine(line));
});

test('hand-off and live: the watermark, the lag in events and seconds, events/s, late and dead letters', () => {
  const handoff = statusLine(progress({ phase: 'handoff', watermark: T0 + 600_000, topic, events: 9000, late: 1, deadLetters: 2 }), { rate: 2500.4, etaMs: 500, lagMs: { ms: 4200, atLeast: true } });
  assert.equal(statusText(handoff), 'hand-off · ETA 1 s · watermark 2024-01-01 00:10:00Z · lag 1,234 events (≥ 4 s) · 2,500 events/s · 1 late event · 2 dead letters');
  const live = statusLine(progress({ phase: 'live', watermark: T0, topic: { ...topic, lag: 0, position: 5000 } }), { rate: 0, lagMs: { ms: 0, atLeast: false } });
  assert.equal(statusText(live), 'live · watermark 2024-01-01 00:00:00Z · lag 0 events (0 s) · 0 events/s · 0 late events · 0 dead letters');
  assert.equal(live.lag, 0);
});

test('done: no lag or rate any more; the end of input as the watermark', () => {
  const line = statusLine(progress({ phase: 'done', watermark: Number.MAX_SAFE_INTEGER, topic }), { rate: 10 });
  assert.equal(statusText(line), 'done · watermark end of input · 0 late events · 0 dead letters');
  assert.equal(line.lag, undefined);
  assert.deepEqual(statusLines(line), ['done', 'watermark end of input · 0 late events · 0 dead letters']);
  assert.deepEqual(statusLines(line, ['late', 'deadLetters']), ['done', 'watermark end of input']);
});

test('sizes and durations', () => {
  assert.deepEqual([0, 999, 1000, 1500, 48_200_000, 3.2e9].map(bytes), ['0 B', '999 B', '1.0 kB', '1.5 kB', '48 MB', '3.2 GB']);
  assert.deepEqual([0, 400, 42_000, 185_000, 8_040_000].map(duration), ['0 s', '0 s', '42 s', '3 min 5 s', '2 h 14 min']);
});

test('as HTML: escaped items, the phase and lag as attributes, the provenance one click away', () => {
  const line = statusLine(progress({ phase: 'live', topic: { ...topic, lag: 0 } }), {});
  const html = statusHtml(line, { source: '<ev>', offsets: { 0: [0, 10] } });
  assert.match(html, /^<div class="windowpane-status" data-phase="live" data-lag="0"/);
  assert.match(html, /<span data-item="phase">live<\/span> · <span data-item="watermark">/);
  assert.match(html, /<details class="windowpane-provenance"[^>]*><summary>provenance<\/summary><pre[^>]*>\{\n &quot;source&quot;: &quot;&lt;ev&gt;&quot;/);
  assert.doesNotMatch(statusHtml(line), /details/);
});
