/**
 * notebooks/replay-basics.ipynb runs headless with the windowpane kernel and the test broker.
 * It needs the real TypeScript session (imports of 'windowpane' and npm packages).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNotebook } from '../../../src/runner/run.js';
import { readNotebook, sourceText, type CodeCell } from '../../../src/runner/notebook.js';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';
import { testKafkaSettings } from '../../helpers/kafka.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
let spec: TestKernelSpec;
console.debug = () => undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'windowpane-example-'));
  spec = await installTestKernel({ WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(','), KAFKAJS_NO_PARTITIONER_WARNING: '1' });
});
after(() => {
  spec?.remove();
  rmSync(dir, { recursive: true, force: true });
});

test('notebooks/replay-basics.ipynb runs headless: data written, replayed in order, read back', async () => {
  const output = join(dir, 'replay-basics.out.ipynb');
  const result = await runNotebook({ input: join(root, 'notebooks', 'replay-basics.ipynb'), output, parameters: { rows: 1000 }, env: spec.env, cellTimeoutMs: 120_000 });
  const all = readNotebook(output)
    .cells.filter((c): c is CodeCell => c.cell_type === 'code')
    .flatMap((c) => c.outputs)
    .map((o) => (o.output_type === 'stream' ? sourceText(o.text) : o.output_type === 'error' ? `${o.ename}: ${o.evalue}\n` : ''))
    .join('');
  assert.deepEqual(result.outcome, { status: 'ok' }, all);
  assert.match(all, /sent 1000 of 1001 rows to replay-basics-\d+; bad rows: 1/);
  assert.match(all, /event time 2024-06-01T00:00:00\.000Z \.\. 2024-06-01T00:16:39\.000Z/);
  const counts = [...all.matchAll(/partition \d: (\d+) records/g)].map((m) => Number(m[1]));
  assert.equal(counts.reduce((a, b) => a + b, 0), 1000);
});
