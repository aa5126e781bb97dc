import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromArrays } from 'apache-arrow';
import { display, formatValue, MAX_ROWS, mimeBundleSymbol } from '../../../../kernel/display/index.js';
import { executionStore } from '../../../../kernel/session/context.js';
import { RecordingContext } from '../session/fake-context.js';

test('the display protocol: an object renders itself through the well-known symbol', () => {
  assert.equal(mimeBundleSymbol, Symbol.for('windowpane.mimeBundle'));
  const chart = { [mimeBundleSymbol]: () => ({ 'text/html': '<svg/>', 'text/plain': 'a chart' }) };
  assert.deepEqual(formatValue(chart), { 'text/html': '<svg/>', 'text/plain': 'a chart' });
  const bare = { [mimeBundleSymbol]: () => ({ 'image/svg+xml': '<svg/>' }) };
  assert.equal(typeof formatValue(bare)?.['text/plain'], 'string', 'a text/plain fallback is added');
});

test('plain values get util.inspect text; undefined gives nothing', () => {
  assert.deepEqual(formatValue({ a: [1, 2] }), { 'text/plain': '{ a: [ 1, 2 ] }' });
  assert.deepEqual(formatValue('s'), { 'text/plain': "'s'" });
  assert.deepEqual(formatValue(null), { 'text/plain': 'null' });
  assert.equal(formatValue(undefined), undefined);
  assert.deepEqual(formatValue([]), { 'text/plain': '[]' });
});

test('an array of plain objects is an escaped HTML table with a text fallback', () => {
  const bundle = formatValue([
    { name: '<b>Ada</b>', n: 1 },
    { name: 'Bob & co', n: 2, extra: null },
  ])!;
  assert.equal(
    bundle['text/html'],
    '<div class="windowpane-table"><table><caption>2 rows × 3 columns</caption><thead><tr><th></th><th>name</th><th>n</th><th>extra</th></tr></thead><tbody>' +
      '<tr><th>0</th><td>&lt;b&gt;Ada&lt;/b&gt;</td><td>1</td><td>undefined</td></tr><tr><th>1</th><td>Bob &amp; co</td><td>2</td><td>null</td></tr></tbody></table></div>',
  );
  assert.equal(bundle['text/plain'], '2 rows × 3 columns\nname       | n | extra\n-----------+---+----------\n<b>Ada</b> | 1 | undefined\nBob & co   | 2 | null');
});

test('long tables are truncated with a "N more rows" note', () => {
  const rows = Array.from({ length: MAX_ROWS + 7 }, (_, i) => ({ i, at: new Date(Date.UTC(2024, 0, 1, 0, i)) }));
  const bundle = formatValue(rows)!;
  assert.equal((String(bundle['text/html']).match(/<tr><th>\d+<\/th>/g) ?? []).length, MAX_ROWS);
  assert.match(String(bundle['text/html']), /<p>7 more rows<\/p><\/div>$/);
  assert.match(String(bundle['text/plain']), /\n… 7 more rows$/);
  assert.match(String(bundle['text/plain']), /2024-01-01T00:00:00\.000Z/);
});

test('an Apache Arrow Table renders as a table', () => {
  const table = tableFromArrays({ city: ['Oslo', 'Lima'], temp: Float64Array.from([3.5, 19]) });
  const bundle = formatValue(table)!;
  assert.match(String(bundle['text/html']), /<caption>Arrow Table: 2 rows × 2 columns<\/caption><thead><tr><th><\/th><th>city<\/th><th>temp<\/th><\/tr><\/thead><tbody><tr><th>0<\/th><td>Oslo<\/td><td>3.5<\/td><\/tr><tr><th>1<\/th><td>Lima<\/td><td>19<\/td><\/tr>/);
  assert.equal(bundle['text/plain'], 'Arrow Table: 2 rows × 2 columns\ncity | temp\n-----+-----\nOslo | 3.5\nLima | 19');
});

test('display helpers send MIME bundles to the current execution and return updatable handles', () => {
  const ctx = new RecordingContext(1);
  executionStore.run(ctx, () => {
    display.html('<i>x</i>');
    display.svg('<svg/>');
    display.png(Uint8Array.from([137, 80, 78, 71]));
    display.json({ a: 1 });
    display.vegaLite({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', mark: 'bar' });
    display.vegaLite({ mark: 'point' });
    const h = display([{ a: 1 }], { displayId: 'fixed', metadata: { m: 1 } });
    h.update(2);
  });
  const data = ctx.displays.map((d) => d.data);
  assert.deepEqual(data[0], { 'text/html': '<i>x</i>', 'text/plain': '<HTML>' });
  assert.deepEqual(data[1], { 'image/svg+xml': '<svg/>', 'text/plain': '<SVG image>' });
  assert.deepEqual(data[2], { 'image/png': 'iVBORw==', 'text/plain': '<PNG image>' });
  assert.deepEqual(data[3], { 'application/json': { a: 1 }, 'text/plain': '{ a: 1 }' });
  assert.deepEqual(Object.keys(data[4]!), ['application/vnd.vegalite.v6+json', 'text/plain']);
  assert.deepEqual(Object.keys(data[5]!), ['application/vnd.vegalite.v5+json', 'text/plain']);
  assert.match(String(data[6]?.['text/html']), /<table>/);
  assert.deepEqual(ctx.displays[6]?.options, { displayId: 'fixed', update: false, metadata: { m: 1 } });
  assert.deepEqual(ctx.displays[7], { data: { 'text/plain': '2' }, options: { displayId: 'fixed', update: true, metadata: { m: 1 } } });
  assert.equal(new Set(ctx.displays.slice(0, 6).map((d) => d.options?.displayId)).size, 6, 'every display gets its own id');
});
