/**
 * A headless run (`windowpane run`: the runner, a real Jupyter Server, the windowpane kernel, the
 * test broker) puts each live query's engine-recorded provenance into the executed notebook's
 * metadata: the offsets the query actually read, per partition.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNotebook } from '../../../src/runner/run.js';
import { readNotebook } from '../../../src/runner/notebook.js';
import type { Provenance } from '../../../src/index.js';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';
import { testKafkaSettings, withTopic } from '../../helpers/kafka.js';

let dir: string;
let spec: TestKernelSpec;
console.debug = () => undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'windowpane-runner-provenance-'));
  spec = await installTestKernel({ WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(','), KAFKAJS_NO_PARTITIONER_WARNING: '1' });
});
after(() => {
  spec?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const code = (source: string, tags: string[] = []) => ({ cell_type: 'code', execution_count: null, metadata: tags.length ? { tags } : {}, outputs: [], source });

test('the executed notebook records the offsets each live query read', async () => {
  await withTopic({ partitions: 2, prefix: 'nb-provenance' }, async (topic, kafka) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const at = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 2, value: JSON.stringify({ ts: at(i), page: i % 3 === 0 ? 'home' : 'cart' }) })) });
    await producer.disconnect();
    const input = join(dir, 'provenance.ipynb');
    writeFileSync(input, JSON.stringify({
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: 'windowpane', display_name: 'TypeScript (Windowpane)', language: 'typescript' } },
      cells: [
        code(`const topic = 'clicks';`, ['parameters']),
        code([
          `import { chart, source, sql } from 'windowpane';`,
          `const clicks = source({ name: 'clicks', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', page: 'VARCHAR' } });`,
          'const q = await sql(`SELECT window_start, page, count(*) AS n FROM TUMBLE(clicks, ts, \'10 minutes\') GROUP BY ALL`, { sources: { clicks } });',
          `const view = chart(q, { mark: 'bar', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' }, color: { field: 'page' } } });`,
        ].join('\n')),
        code('await view.done;'),
      ],
    }));
    const output = join(dir, 'provenance.out.ipynb');
    const result = await runNotebook({ input, output, parameters: { topic }, env: spec.env, cellTimeoutMs: 120_000 });
    assert.deepEqual(result.outcome, { status: 'ok' });
    const recorded = (readNotebook(output).metadata.windowpane as unknown as { provenance: { cell: number; provenance: Provenance }[] }).provenance;
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]!.cell, 3);
    const p = recorded[0]!.provenance;
    assert.equal(p.kafka?.topic, topic);
    assert.deepEqual(p.kafka.offsets, { 0: [0, 15], 1: [0, 15] });
    assert.equal(p.kafka.handoff.kind, 'backlog');
    assert.equal(p.run.finished, true);
    assert.match(p.query.sql ?? '', /TUMBLE\(clicks, ts, '10 minutes'\)/);
  });
});

test('a hand-off gap is a warning in the cell that started the query; the notebook records the time hand-off', async () => {
  await withTopic({ partitions: 1, prefix: 'nb-gap' }, async (topic, kafka) => {
    const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString();
    const csv = join(dir, 'visits.csv');
    writeFileSync(csv, ['ts,page', ...[0, 5, 9].map((m) => `${at(m)},home`)].join('\n'));
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // the stream resumes two hours after the end of history
    await producer.send({ topic, acks: -1, messages: [125, 130].map((m) => ({ value: JSON.stringify({ ts: at(m), page: 'cart' }), timestamp: String(Date.parse(at(m))) })) });
    await producer.disconnect();
    const input = join(dir, 'gap.ipynb');
    writeFileSync(input, JSON.stringify({
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: 'windowpane', display_name: 'TypeScript (Windowpane)', language: 'typescript' } },
      cells: [
        code(`const topic = 'visits';`, ['parameters']),
        code([
          `import { source, sql, table } from 'windowpane';`,
          `const visits = source({ name: 'visits', time: 'ts', history: { csv: ${JSON.stringify(csv)} }, live: { topic }, schema: { ts: 'TIMESTAMP', page: 'VARCHAR' } });`,
          'const q = await sql(`SELECT window_start, page, count(*) AS n FROM TUMBLE(visits, ts, \'10 minutes\') GROUP BY ALL`, { sources: { visits } });',
          'const view = table(q);',
          'await view.done;',
        ].join('\n')),
      ],
    }));
    const output = join(dir, 'gap.out.ipynb');
    const result = await runNotebook({ input, output, parameters: { topic }, env: spec.env, cellTimeoutMs: 120_000 });
    assert.deepEqual(result.outcome, { status: 'ok' });
    const nb = readNotebook(output);
    const stderr = nb.cells[2]!.cell_type === 'code' ? nb.cells[2]!.outputs.filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => (o.output_type === 'stream' ? [o.text].flat().join('') : '')).join('') : '';
    assert.match(stderr, /hand-off gap in source visits: the first live event of topic "nb-gap-\w+" partition 0 is at 2024-01-01T02:05:00.000Z, 1.9 hours after the end of history \(2024-01-01T00:09:00.000Z\)/);
    const p = (nb.metadata.windowpane as unknown as { provenance: { provenance: Provenance }[] }).provenance[0]!.provenance;
    assert.equal(p.kafka?.handoff.kind, 'time');
    assert.equal(p.kafka.handoff.gaps.length, 1);
    assert.equal(p.history?.kind, 'files');
  });
});
