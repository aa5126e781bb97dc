/**
 * The kernel checks the shape of every comm message it receives and ignores the rest: comm
 * envelopes with missing or mistyped fields are dropped at the edge (kernel/protocol/validate.ts),
 * messages for comms that do not exist go nowhere, and the chart comm target answers an open whose
 * data is not `{ chartId: string }` naming a running chart with `unknown` and closes it. Through a
 * real Jupyter Server and the real windowpane kernel, with a live chart on the test broker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelMessage, type Kernel } from '@jupyterlab/services';
import { CHART_MIME, COMM_TARGET, type ChartPayload } from '../../src/chart/protocol.js';
import { startTestJupyter } from '../helpers/jupyter.js';
import { testKafkaSettings, withTopic } from '../helpers/kafka.js';
import { nextIOPub, result, run } from './kernel-helpers.js';

/** Sends a shell message with any content at all, as a misbehaving frontend could. */
function sendRaw(kernel: Kernel.IKernelConnection, msgType: 'comm_open' | 'comm_msg' | 'comm_close', content: unknown): void {
  const msg = KernelMessage.createMessage({ msgType, channel: 'shell', session: kernel.clientId, content } as never);
  kernel.sendShellMessage(msg as never, false, false);
}

/** Opens a comm on the chart target with `data` and resolves with what the kernel answered before closing it. */
async function openChartComm(kernel: Kernel.IKernelConnection, data: unknown): Promise<{ messages: unknown[] }> {
  const comm = kernel.createComm(COMM_TARGET);
  const messages: unknown[] = [];
  comm.onMsg = (m) => void messages.push(m.content.data);
  const closed = new Promise<void>((r) => (comm.onClose = () => r()));
  comm.open(data as never);
  await closed;
  return { messages };
}

test('malformed comm messages are ignored and the chart target answers only well-formed opens', { timeout: 180_000 }, async (t) => {
  const jupyter = await startTestJupyter({ env: { WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(','), KAFKAJS_NO_PARTITIONER_WARNING: '1' } });
  t.after(() => jupyter.stop());
  const kernel = await jupyter.startKernel();

  await withTopic({ partitions: 1, prefix: 'comm-shapes' }, async (topic) => {
    // 1. A live chart, so that the chart comm target is registered and a chart is running.
    const shown = nextIOPub(kernel, (m) => m.header.msg_type === 'display_data' && CHART_MIME in ((m.content as { data?: object }).data ?? {}));
    const started = await run(kernel, [
      `import { chart, source, sql } from 'windowpane';`,
      `const events = source({ name: 'events', time: 't', live: { topic: '${topic}' }, schema: { t: 'TIMESTAMP', v: 'BIGINT' } });`,
      'const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(events, t, \'1 minute\') GROUP BY ALL`, { sources: { events } });',
      `chart(q, { mark: 'bar', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } } });`,
    ].join('\n'));
    assert.equal(started.reply.status, 'ok');
    const payload = ((await shown).content as { data: Record<string, unknown> }).data[CHART_MIME] as ChartPayload;
    try {

      // 2. Envelopes of the wrong shape, and messages for comms that do not exist.
      sendRaw(kernel, 'comm_open', { comm_id: 'x1', data: {} }); // no target_name
      sendRaw(kernel, 'comm_open', { comm_id: 42, target_name: COMM_TARGET, data: { chartId: payload.chartId } });
      sendRaw(kernel, 'comm_msg', { comm_id: 7, data: { type: 'reset' } });
      sendRaw(kernel, 'comm_msg', { data: 'no comm id' });
      sendRaw(kernel, 'comm_msg', { comm_id: 'no-such-comm', data: { anything: true } });
      sendRaw(kernel, 'comm_close', { comm_id: null });
      sendRaw(kernel, 'comm_close', { comm_id: 'no-such-comm', data: [1, 2] });

      // 3. Opens on the chart target whose data is not a running chart's { chartId }: `unknown`, then closed.
      for (const data of ['garbage', [payload.chartId], { chartId: 42 }, { chartId: 'no-such-chart' }, null]) {
        const { messages } = await openChartComm(kernel, data);
        assert.equal(messages.length, 1, JSON.stringify(data));
        assert.equal((messages[0] as { type?: unknown }).type, 'unknown', JSON.stringify(data));
      }

      // 4. A well-formed open still gets the chart; garbage sent on that comm is ignored.
      const comm = kernel.createComm(COMM_TARGET);
      const first = new Promise<unknown>((r) => (comm.onMsg = (m) => r(m.content.data)));
      await comm.open({ chartId: payload.chartId }).done;
      assert.equal(((await first) as { type?: unknown }).type, 'reset');
      await comm.send({ type: 'changes', upsert: 'not rows' }).done;
      await comm.send([1, 2, 3] as never).done;
      comm.close();

      // 5. The kernel is alive, with its state: the shell handled everything above in order, and answers after it.
      const after = await run(kernel, 'typeof q.snapshot');
      assert.equal(after.reply.status, 'ok');
      assert.equal(result(after), "'function'");
      const errors = after.iopub.filter((m) => m.header.msg_type === 'error');
      assert.deepEqual(errors, []);
    } finally {
      await run(kernel, 'await q.stop()');
    }
  });
});
