import { test } from 'node:test';
import assert from 'node:assert/strict';
import { table } from '../../../src/chart/index.js';
import { asAsync, minuteCounts, T0 } from './fixtures.js';
import { RecordingHost } from './recording-host.js';

test('a live table shows the most recent windows first and updates by display_id', async () => {
  const host = new RecordingHost();
  const t = table(asAsync(minuteCounts(10, ['AA', 'UA'])), { host, maxRows: 4 });
  assert.equal(await t.done, 'finished');
  const first = host.shown[0];
  assert.ok(first && !first.update);
  assert.ok(host.shown.slice(1).every((s) => s.update && s.displayId === first.displayId));
  const html = String(host.shown.at(-1)?.data['text/html']);
  assert.equal((html.match(/<tr/g) ?? []).length, 5);
  assert.ok(html.includes(`<td>${new Date(T0 + 9 * 60_000).toISOString().replace('.000Z', 'Z').replace('T', ' ')}</td>`));
  assert.match(html, /<tr style="opacity:0.6;font-style:italic">/);
  assert.match(html, /<th>window_start<\/th><th>window_end<\/th><th>airline<\/th><th>n<\/th><th>kind<\/th><th>late<\/th>/);
  assert.match(String(host.shown.at(-1)?.data['text/plain']), /^window_start\twindow_end\tairline/);
});

test('table cells are escaped', async () => {
  const t = table([{ name: '<b>&</b>' }], { display: false });
  await t.done;
  assert.ok(t.html().includes('<td>&lt;b&gt;&amp;&lt;/b&gt;</td>'));
});
