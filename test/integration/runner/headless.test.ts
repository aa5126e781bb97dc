/**
 * On a Jupyter Server the runner did not start, its kernels cannot be given the headless
 * environment: the runner's setup cell sets it inside the windowpane kernel and hands the run's
 * bound to the library there, so a live query that asks for no bound still ends.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNotebook } from '../../../src/runner/run.js';
import { readNotebook, sourceText, type CodeCell } from '../../../src/runner/notebook.js';
import { startJupyterServer, type JupyterServer } from '../../../src/runner/server.js';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';
import { testKafkaSettings, withTopic } from '../../helpers/kafka.js';

let dir: string;
let spec: TestKernelSpec;
let server: JupyterServer;
console.debug = () => undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'windowpane-runner-headless-'));
  spec = await installTestKernel({ WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(','), KAFKAJS_NO_PARTITIONER_WARNING: '1' });
  server = await startJupyterServer({ rootDir: dir, env: spec.env });
});
after(async () => {
  await server?.stop();
  spec?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const code = (source: string, tags: string[] = []) => ({ cell_type: 'code', execution_count: null, metadata: tags.length ? { tags } : {}, outputs: [], source });

test("on a given server, a live query without a bound stops once caught up (the setup cell's run default)", async () => {
  await withTopic({ partitions: 2, prefix: 'nb-headless' }, async (topic, kafka) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const at = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 2, value: JSON.stringify({ ts: at(i), page: i % 3 === 0 ? 'home' : 'cart' }) })) });
    await producer.disconnect();
    const input = join(dir, 'headless.ipynb');
    writeFileSync(input, JSON.stringify({
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: 'windowpane', display_name: 'TypeScript (Windowpane)', language: 'typescript' } },
      cells: [
        code(`const topic = 'clicks';`, ['parameters']),
        code([
          `import { source, sql } from 'windowpane';`,
          `const clicks = source({ name: 'clicks', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', page: 'VARCHAR' } });`,
          'const q = await sql(`SELECT window_start, page, count(*) AS n FROM TUMBLE(clicks, ts, \'10 minutes\') GROUP BY ALL`, { sources: { clicks } });',
          'await q.done;',
          "console.log('events', q.snapshot().reduce((sum, r) => sum + Number(r.values.n), 0));",
        ].join('\n')),
      ],
    }));
    const output = join(dir, 'headless.out.ipynb');
    const result = await runNotebook({ input, output, server: { url: server.baseUrl, token: server.token }, parameters: { topic }, cellTimeoutMs: 60_000 });
    const nb = readNotebook(output);
    const printed = (nb.cells[2] as CodeCell).outputs.map((o) => (o.output_type === 'stream' ? sourceText(o.text) : o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : '')).join('');
    assert.deepEqual(result.outcome, { status: 'ok' }, printed);
    assert.equal(printed, 'events 30\n');
    assert.deepEqual((nb.metadata.windowpane as Record<string, unknown>).headless, { until: { caughtUp: true }, environment_applied: true });
  });
});
