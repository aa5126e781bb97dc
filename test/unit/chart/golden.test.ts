/**
 * Golden tests: for fixed data, the compiled Vega spec and the rendered SVG must equal the files
 * under test/golden/chart/ (test/helpers/golden.ts: a mismatch writes <name>-changed.<ext>; a
 * missing golden is written, except under CI=true, where it fails). Pin TZ=UTC.
 */
import { test } from 'node:test';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chart, type ChartSource } from '../../../src/chart/index.js';
import { assertGolden } from '../../helpers/golden.js';
import { asAsync, minuteCounts } from './fixtures.js';

const dir = fileURLToPath(new URL('../../golden/chart/', import.meta.url));

const golden = (name: string, ext: string, actual: string) => assertGolden(join(dir, `${name}.${ext}`), actual);

const V5 = 'https://vega.github.io/schema/vega-lite/v5.json';
const V6 = 'https://vega.github.io/schema/vega-lite/v6.json';
const x = { field: 'window_start', type: 'temporal', title: 'minute (UTC)' };

const cases: Record<string, { source: () => ChartSource; spec: Record<string, unknown> }> = {
  'bar-v5-status': {
    source: () => asAsync(minuteCounts(8, ['all'])),
    spec: { $schema: V5, title: 'Events per minute', mark: 'bar', encoding: { x: { ...x, timeUnit: 'utchoursminutes' }, y: { field: 'n', type: 'quantitative' } } },
  },
  'line-v6-groups': {
    source: () => asAsync(minuteCounts(12, ['AA', 'DL', 'UA'], 11)),
    spec: { $schema: V6, mark: 'line', encoding: { x: { ...x, scale: { type: 'utc' } }, y: { field: 'n', type: 'quantitative' }, color: { field: 'airline', type: 'nominal' } } },
  },
  'point-v6-size-by-late': {
    source: () => asAsync(minuteCounts(6, ['AA', 'UA'], 3)),
    spec: { $schema: V6, mark: 'point', encoding: { x: { ...x, scale: { type: 'utc' } }, y: { field: 'n', type: 'quantitative' }, shape: { field: 'kind', type: 'nominal' }, size: { field: 'late', type: 'quantitative' } } },
  },
  'layer-v5-plain-records': {
    source: () => [
      { city: 'Lisbon', temp: 21 },
      { city: 'Oslo', temp: 9 },
      { city: 'Cairo', temp: 33 },
    ],
    spec: {
      $schema: V5,
      layer: [
        { mark: 'bar', encoding: { x: { field: 'city', type: 'nominal', sort: '-y' }, y: { field: 'temp', type: 'quantitative' } } },
        { mark: { type: 'text', dy: -6 }, encoding: { x: { field: 'city', type: 'nominal', sort: '-y' }, y: { field: 'temp', type: 'quantitative' }, text: { field: 'temp' } } },
      ],
    },
  },
};

for (const [name, { source, spec }] of Object.entries(cases)) {
  test(`golden: ${name}`, async () => {
    const c = chart(source(), spec, { display: false });
    await c.done;
    golden(name, 'vega.json', `${JSON.stringify(c.compiled.vega, null, 2)}\n`);
    golden(name, 'svg', `${await c.svg()}\n`);
  });
}
