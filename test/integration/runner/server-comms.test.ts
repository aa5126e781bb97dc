/**
 * A headless run on a Jupyter Server the runner did not start (`windowpane run --url`): the kernel
 * learns it runs headless from the environment the runner sets inside it, so its charts open no
 * comms, and the run prints nothing about comms ("Exception opening new comm", "Comm not found").
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNotebook } from '../../../src/runner/run.js';
import { readNotebook } from '../../../src/runner/notebook.js';
import { CHART_MIME } from '../../../src/chart/protocol.js';
import { startTestJupyter, type TestJupyter } from '../../helpers/jupyter.js';

let jupyter: TestJupyter;
console.debug = () => undefined;

before(async () => {
  jupyter = await startTestJupyter();
});
after(() => jupyter?.stop());

test('charts in a run on a given server open no comms and nothing is printed about them', async () => {
  const cells = [
    "const rows = [{ carrier: 'AA', delay: 12 }, { carrier: 'UA', delay: 7 }];",
    "await chart(rows, { mark: 'bar', encoding: { x: { field: 'carrier', type: 'nominal' }, y: { field: 'delay', type: 'quantitative' } } }).done;",
    "await chart(rows, { mark: 'point', encoding: { x: { field: 'carrier', type: 'nominal' }, y: { field: 'delay', type: 'quantitative' } } }).done;",
  ];
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'windowpane', display_name: 'TypeScript (Windowpane)', language: 'typescript' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, execution_count: null, metadata: {}, source, outputs: [] })),
  };
  const input = join(jupyter.rootDir, 'comms.ipynb');
  writeFileSync(input, JSON.stringify(nb));
  const printed: string[] = [];
  const original = { error: console.error, warn: console.warn, log: console.log };
  for (const k of ['error', 'warn', 'log'] as const) console[k] = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  let result: Awaited<ReturnType<typeof runNotebook>>;
  try {
    result = await runNotebook({ input, output: join(jupyter.rootDir, 'comms.out.ipynb'), server: { url: jupyter.server.baseUrl, token: jupyter.server.token }, cellTimeoutMs: 60_000 });
  } finally {
    Object.assign(console, original);
  }
  assert.deepEqual(result.outcome, { status: 'ok' });
  assert.deepEqual(printed.filter((l) => /comm/i.test(l)), [], 'nothing about comms');
  const out = readNotebook(result.output);
  const charts = out.cells.flatMap((c) => (c.cell_type === 'code' ? c.outputs : [])).filter((o) => (o.output_type === 'display_data' || o.output_type === 'execute_result') && CHART_MIME in (o.data as object));
  assert.equal(charts.length, 2, 'both charts are in the notebook');
});
