import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileChart, specVersion } from '../../../src/chart/spec.js';
import { styleWindowStatus, summaryText } from '../../../src/chart/styling.js';
import { ChartError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';

const bar = { mark: 'bar', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } } };

test('v5 and v6 specs compile; the data is the named source "windowpane"', () => {
  for (const [schema, version] of [
    ['https://vega.github.io/schema/vega-lite/v5.json', 'v5'],
    ['https://vega.github.io/schema/vega-lite/v6.json', 'v6'],
    [undefined, 'v6'],
  ] as const) {
    const c = compileChart(schema === undefined ? bar : { $schema: schema, ...bar });
    assert.equal(c.version, version);
    assert.deepEqual(c.vega.data?.[0], { name: 'windowpane' });
  }
});

test('a spec with its own data is refused with the catalogue message', () => {
  assert.throws(
    () => compileChart({ ...bar, data: { values: [] } }),
    (e: unknown) => e instanceof ChartError && e.code === 'chart.spec.data' && e.message === messages.chartSpecHasData('{"values":[]}'),
  );
});

test('an unsupported $schema and a non-object spec are refused', () => {
  assert.throws(() => specVersion({ $schema: 'https://vega.github.io/schema/vega/v5.json' }), { message: messages.chartSpecSchema('"https://vega.github.io/schema/vega/v5.json"') });
  assert.throws(() => compileChart('bar'), { message: messages.chartSpecNotObject('bar') });
});

test('a spec vega-lite cannot compile names the problem', () => {
  assert.throws(
    () => compileChart({ mark: 'bar', encoding: { x: { field: 'n', type: 'quantitative', aggregate: 'nonsense' } }, layer: 3 }),
    (e: unknown) => e instanceof ChartError && e.code === 'chart.spec.compile' && e.message.startsWith('Vega-Lite cannot compile the chart spec'),
  );
});

test('status styling: bars get opacity and outline conditions; user channels win', () => {
  const styled = styleWindowStatus(bar) as { encoding: Record<string, unknown> };
  assert.ok(styled.encoding.opacity && styled.encoding.stroke && styled.encoding.strokeWidth && styled.encoding.strokeDash);
  const own = styleWindowStatus({ ...bar, encoding: { ...bar.encoding, opacity: { value: 0.2 } } }) as { encoding: Record<string, unknown> };
  assert.deepEqual(own.encoding.opacity, { value: 0.2 });
});

test('status styling: a line gets a point layer that carries the status; composite specs are left alone', () => {
  const styled = styleWindowStatus({ ...bar, mark: 'line' }) as { layer: { mark: unknown; encoding?: Record<string, unknown> }[] };
  assert.equal(styled.layer.length, 2);
  assert.equal(styled.layer[0]?.mark, 'line');
  assert.ok(styled.layer[1]?.encoding?.opacity);
  const layered = { layer: [bar] };
  assert.equal(styleWindowStatus(layered), layered);
});

test('the summary line has a signal and can be turned off', () => {
  assert.ok(compileChart(bar).vega.signals?.some((s) => s.name === 'windowpane_summary'));
  assert.ok(!compileChart(bar, { summary: false }).vega.signals?.some((s) => s.name === 'windowpane_summary'));
  assert.equal(
    summaryText({ windows: 4, byKind: { final: 9, provisional: 2, revised: 1 }, late: 5 }, 'interrupted'),
    '9 final · 2 provisional (faded) · 1 revised (outlined)\n4 windows · 5 late events · interrupted',
  );
});
