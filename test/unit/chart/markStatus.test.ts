// docs/architecture.md, "a chart mark": every Vega-Lite mark has a status style in MARK_STATUS
// (tsc checks the table against Vega-Lite's own list), and each style draws what it says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mark } from 'vega-lite/types_unstable/mark.js';
import { MARK_STATUS, styleWindowStatus } from '../../../src/chart/styling.js';

const accept = <T>(_value: T): void => undefined;

test('the table has a style for every Vega-Lite mark (checked by tsc over this file)', () => {
  accept<Record<Mark, string>>(MARK_STATUS);
  // @ts-expect-error a mark without a row does not compile
  accept<Record<Mark | 'toy', string>>(MARK_STATUS);
  assert.equal(Object.keys(MARK_STATUS).length, 14);
});

test("each style draws the window's status its own way", () => {
  const encoding = { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } };
  for (const [mark, style] of Object.entries(MARK_STATUS)) {
    const out = styleWindowStatus({ mark, encoding });
    if (style === 'series') {
      // the mark itself, plus a point per window carrying the status
      const layer = out.layer as { mark: unknown; encoding?: Record<string, unknown> }[];
      assert.equal(layer.length, 2, mark);
      assert.deepEqual(layer[0]!.mark, mark);
      assert.ok(layer[1]!.encoding && 'opacity' in layer[1]!.encoding && 'strokeDash' in layer[1]!.encoding, mark);
      continue;
    }
    const enc = out.encoding as Record<string, unknown>;
    assert.ok('opacity' in enc, `${mark} fades while provisional`);
    assert.equal('strokeDash' in enc, style === 'shape', `${mark}: an outline only for shapes`);
  }
  // a spec that styles the channels itself keeps them
  const own = styleWindowStatus({ mark: 'bar', encoding: { ...encoding, opacity: { value: 0.3 }, stroke: { value: 'red' } } });
  assert.deepEqual((own.encoding as Record<string, unknown>).opacity, { value: 0.3 });
  assert.equal('strokeDash' in (own.encoding as Record<string, unknown>), false);
});
