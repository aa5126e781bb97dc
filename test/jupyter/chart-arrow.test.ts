/**
 * A big chart's rows reach a frontend as Apache Arrow through the real path: the windowpane kernel
 * puts them in a comm message's binary buffer, ZeroMQ and the Jupyter Server carry it, and the
 * renderer's reader (readToFrontend, what the extension uses) gets the same rows back; a small
 * changeset on the same comm stays JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KernelMessage } from '@jupyterlab/services';
import { ARROW_MIN_ROWS, CHART_MIME, COMM_TARGET, readToFrontend, type ChartPayload, type ToFrontend } from '../../src/chart/protocol.js';
import { startTestJupyter } from '../helpers/jupyter.js';
import { nextIOPub, run } from './kernel-helpers.js';

test('a reset of thousands of rows arrives as Arrow in a binary buffer and reads back as the chart\'s rows', { timeout: 180_000 }, async (t) => {
  const jupyter = await startTestJupyter();
  t.after(() => jupyter.stop());
  const kernel = await jupyter.startKernel();
  // a chart that stays live with 3,000 rows, then takes one more when told
  const shown = nextIOPub(kernel, (m) => m.header.msg_type === 'display_data' && CHART_MIME in ((m.content as { data?: object }).data ?? {}));
  const started = await run(kernel, [
    `import { chart } from 'windowpane';`,
    'let more: (() => void) | undefined;',
    'async function* points() {',
    '  for (let i = 0; i < 3000; i++) yield { x: i, n: i % 7, g: `g${i % 3}` };',
    '  await new Promise<void>((r) => (more = r));',
    '  yield { x: 3000, n: 1, g: "g0" };',
    '  await new Promise(() => undefined);',
    '}',
    `const big = chart(points(), { mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'n', type: 'quantitative' }, color: { field: 'g', type: 'nominal' } } }, { keyField: 'x', retain: Infinity });`,
  ].join('\n'));
  assert.equal(started.reply.status, 'ok');
  const payload = ((await shown).content as { data: Record<string, unknown> }).data[CHART_MIME] as ChartPayload;
  await run(kernel, 'while (big.model.size < 3000) await new Promise((r) => setTimeout(r, 10));');
  const comm = kernel.createComm(COMM_TARGET);
  const received: { msg: ToFrontend | undefined; buffers: number }[] = [];
  const got = (n: number) => new Promise<void>((resolve) => {
    const check = (): void => void (received.length >= n ? resolve() : setTimeout(check, 20));
    check();
  });
  comm.onMsg = (m: KernelMessage.ICommMsgMsg) => void received.push({ msg: readToFrontend(m.content.data, m.buffers), buffers: m.buffers?.length ?? 0 });
  await comm.open({ chartId: payload.chartId }).done;
  await got(1);
  const reset = received[0]!;
  assert.equal(reset.buffers, 1, 'the rows came in a binary buffer');
  assert.ok(reset.msg?.type === 'reset', 'the renderer reads it as a reset');
  assert.ok(reset.msg.values.length >= ARROW_MIN_ROWS);
  assert.equal(reset.msg.values.length, 3000);
  assert.deepEqual(reset.msg.values.find((v) => v.key === '42'), { x: 42, n: 0, g: 'g0', key: '42', kind: 'final', late: 0 });
  // one more row: a small changeset, as JSON
  await run(kernel, 'more?.()');
  await got(2);
  const change = received.find((r) => r.msg?.type === 'changes');
  assert.ok(change && change.buffers === 0 && change.msg?.type === 'changes');
  assert.deepEqual(change.msg.upsert.map((t) => t.key), ['3000']);
  comm.close();
  await run(kernel, 'big.stop(); await big.done');
});
