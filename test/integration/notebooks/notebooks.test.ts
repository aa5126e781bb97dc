/**
 * Every example notebook in notebooks/ runs headless (the runner, a real Jupyter Server, the
 * windowpane kernel, the test broker) with small parameters and unique topics; its final chart
 * specs and rows must equal the goldens under test/golden/notebooks/, and it must print what its own
 * checks print (alerts caught, late data seen...). Executed notebooks are kept in test-results/notebooks/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNotebook } from '../../../src/runner/run.js';
import { readNotebook } from '../../../src/runner/notebook.js';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';
import { testKafkaSettings, uniqueTopicName } from '../../helpers/kafka.js';
import { CASES } from './cases.js';
import { chartSnapshots, compareGolden, htmlOutputs, printedText } from './goldens.js';
import { assertChartsFit } from './bounds.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const goldenDir = join(root, 'test', 'golden', 'notebooks');
const dir = join(root, 'test-results', 'notebooks');
let spec: TestKernelSpec;
console.debug = () => undefined;

before(async () => {
  mkdirSync(dir, { recursive: true });
  spec = await installTestKernel({ WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(','), KAFKAJS_NO_PARTITIONER_WARNING: '1' });
});
after(() => {
  spec?.remove();
});

test('every notebook in notebooks/ has a headless test case', () => {
  const examples = readdirSync(join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb') && f !== 'replay-basics.ipynb');
  assert.deepEqual(examples.map((f) => f.replace(/\.ipynb$/, '')).sort(), CASES.map((c) => c.name).sort());
});

for (const c of CASES) {
  test(`notebooks/${c.name}.ipynb runs headless and its final charts match the golden`, async () => {
    const parameters: Record<string, string | number> = { ...c.parameters };
    for (const t of c.topics) parameters[t] = uniqueTopicName(`nb-${c.name}-${t}`);
    const output = join(dir, `${c.name}.out.ipynb`);
    const result = await runNotebook({ input: join(root, 'notebooks', `${c.name}.ipynb`), output, parameters, env: spec.env, cellTimeoutMs: 240_000 });
    const notebook = readNotebook(output);
    const printed = printedText(notebook);
    assert.deepEqual(result.outcome, { status: 'ok' }, printed);
    for (const expected of c.prints) assert.match(printed, expected);
    for (const expected of c.html ?? []) assert.match(htmlOutputs(notebook), expected);

    const charts = chartSnapshots(notebook);
    assert.ok(charts.length > 0, `${c.name}: no chart output`);
    for (const chart of charts) {
      assert.equal(chart.state, 'finished', `${c.name}: chart in cell ${chart.cell} ended ${chart.state}`);
      assert.ok(chart.values.length > 0, `${c.name}: chart in cell ${chart.cell} has no rows`);
      assert.ok(chart.values.every((v) => v.kind === 'final' || v.kind === 'revised'), `${c.name}: chart in cell ${chart.cell} has non-final rows`);
    }
    assert.equal(assertChartsFit(c.name, notebook), charts.length, `${c.name}: every chart's fallback images fit`);
    compareGolden(goldenDir, c.name, charts);
  });
}
