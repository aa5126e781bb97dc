/**
 * The path of `npm start`: the demo stream feeds the quickstart's topic in the background (paced,
 * as `windowpane up` does), and the quickstart — told so by WINDOWPANE_DEMO_TOPIC — does not replay
 * again but follows the stream; its chart gains live windows while the stream runs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNotebook } from '../../../src/runner/run.js';
import { readNotebook } from '../../../src/runner/notebook.js';
import { datasets } from '../../../src/datasets/index.js';
import { demoStream } from '../../../src/datasets/demo.js';
import { QUICKSTART_DEMO } from '../../../src/datasets/quickstart.js';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';
import { testKafka, testKafkaSettings, uniqueTopicName } from '../../helpers/kafka.js';
import { chartSnapshots, printedText } from './goldens.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = join(root, 'test-results', 'notebooks');
let spec: TestKernelSpec;
console.debug = () => undefined;

before(async () => {
  mkdirSync(dir, { recursive: true });
  spec = await installTestKernel({ WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(','), KAFKAJS_NO_PARTITIONER_WARNING: '1' });
});
after(() => spec?.remove());

test('the quickstart follows a running demo stream instead of replaying', async () => {
  const params = { historyDays: 1, liveDays: 1, airports: 2 };
  const data = await datasets.flights(params);
  const topic = uniqueTopicName('nb-quickstart-demo');
  // two hours of event time per second: the stream is still running when the notebook reads it
  const stream = await demoStream({ file: data.live, topic, speedup: 7200, kafka: testKafka() });
  try {
    const output = join(dir, 'quickstart-demo.out.ipynb');
    const result = await runNotebook({
      input: join(root, 'notebooks', 'quickstart.ipynb'),
      output,
      parameters: { ...params, liveTopic: topic },
      env: { ...spec.env, [QUICKSTART_DEMO.envVariable]: topic },
      until: { durationMs: 6000 },
      cellTimeoutMs: 120_000,
    });
    const notebook = readNotebook(output);
    const printed = printedText(notebook);
    assert.deepEqual(result.outcome, { status: 'ok' }, printed);
    assert.match(printed, new RegExp(`the demo stream of windowpane up feeds ${topic}`));
    const [chart] = chartSnapshots(notebook);
    assert.ok(chart, 'the quickstart shows a chart');
    const split = Date.parse(data.split);
    const live = chart.values.filter((v) => Number(v.window_start) >= split);
    assert.ok(live.length > 0, 'the chart has windows from the live stream');
    assert.ok(chart.values.some((v) => Number(v.window_start) < split), 'and from history');
  } finally {
    await stream.stop();
  }
});
