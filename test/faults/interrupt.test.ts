/**
 * Fault 6: an interrupt (Jupyter's interrupt request, through the real server) while a cell awaits a
 * history query, and while one awaits a live query. Control comes back at once (the figure is
 * recorded, the tier asserts no timing); the kernel keeps its variables; the next cell runs. A query
 * started by the interrupted cell stops, a long DuckDB statement cut short; a query started by an
 * earlier cell reads on.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { startTestJupyter, type TestJupyter } from '../helpers/jupyter.js';
import { testKafkaSettings, withTopic } from '../helpers/kafka.js';
import { nextIOPub, result, run, text, type Ran } from '../jupyter/kernel-helpers.js';
import { recordFault, since } from './figures.js';

let jupyter: TestJupyter | undefined;
after(async () => {
  await jupyter?.stop();
});

async function ok(kernel: Kernel.IKernelConnection, code: string): Promise<Ran> {
  const r = await run(kernel, code);
  assert.equal(r.reply.status, 'ok', `${code}\n${text(r, 'stderr')}\n${JSON.stringify(r.iopub.find((m) => m.header.msg_type === 'error')?.content)}`);
  return r;
}

/** Runs `code`, interrupts once it has printed `running`, and returns the reply with the time from the interrupt request to it. */
async function interrupted(kernel: Kernel.IKernelConnection, code: string): Promise<{ reply: KernelMessage.IExecuteReplyMsg['content']; ms: number }> {
  const future = kernel.requestExecute({ code });
  const running = nextIOPub(kernel, (m) => m.header.msg_type === 'stream' && (m.parent_header as { msg_id?: string }).msg_id === future.msg.header.msg_id && (m.content as { text: string }).text.includes('running'));
  await running;
  const t0 = performance.now();
  await kernel.interrupt();
  const reply = await future.done;
  return { reply: reply.content, ms: since(t0) };
}

test('an interrupt during a history query and during a live query: control returns, the state stays, the next cell runs', { timeout: 600_000 }, async () => {
  jupyter = await startTestJupyter({ env: { WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(','), KAFKAJS_NO_PARTITIONER_WARNING: '1' } });
  const kernel = await jupyter.startKernel();
  await ok(kernel, 'const keep = { n: 41 };');

  // 1. a history query of minutes (100,000 events in day-long windows sliding by a second: 8.6 billion window rows), awaited in the cell that started it
  const history = await interrupted(kernel, [
    `const big = source({ name: 'big', time: 'ts', history: { query: "SELECT TIMESTAMP '2024-01-01' + to_seconds(i) AS ts, i AS v FROM range(100000) t(i)" } });`,
    "const h = await sql(`SELECT window_start, count(*) AS n FROM HOP(big, ts, '1 second', '1 day') GROUP BY ALL`, { sources: { big } });",
    "console.log('running');",
    'await h.collect();',
  ].join('\n'));
  assert.equal(history.reply.status, 'error');
  assert.equal((history.reply as { ename?: string }).ename, 'KeyboardInterrupt');
  const t1 = performance.now();
  const next = await ok(kernel, 'keep.n + 1');
  const historyNextMs = since(t1);
  assert.equal(result(next), '42', 'the variables are kept');
  // the query stopped with its cell: its DuckDB statement was cut short, no row came out of it
  const t2 = performance.now();
  const stopped = await ok(kernel, 'await h.done;\n[h.stats().phase, h.snapshot().length]');
  const historyStopMs = since(t2);
  assert.equal(result(stopped), "[ 'done', 0 ]");

  // 2. live: one query started by an earlier cell, another started and awaited in the interrupted cell
  await withTopic({ partitions: 2, prefix: 'fault-interrupt' }, async (topic, kafka) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (from: number, n: number) => producer.send({ topic, acks: -1, messages: Array.from({ length: n }, (_, i) => ({ partition: (from + i) % 2, value: JSON.stringify({ ts: Date.UTC(2024, 0, 1) + (from + i) * 1000, v: from + i }) })) });
    try {
      await ok(kernel, [
        `const ev = source({ name: 'ev', time: 'ts', live: { topic: ${JSON.stringify(topic)}, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', v: 'BIGINT' } });`,
        "const live = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: { ev } });",
      ].join('\n'));
      await send(0, 1000);
      await ok(kernel, 'await live.processedUpTo({ 0: 500, 1: 500 });');
      const liveCut = await interrupted(kernel, [
        "const live2 = await sql(`SELECT window_start, sum(v) AS s FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: { ev } });",
        "console.log('running');",
        'await live2.done;',
      ].join('\n'));
      assert.equal((liveCut.reply as { ename?: string }).ename, 'KeyboardInterrupt');
      const t3 = performance.now();
      const after = await ok(kernel, '[keep.n + 1, live.stats().phase, (await live2.done, live2.stats().phase)]');
      const liveNextMs = since(t3);
      assert.equal(result(after), "[ 42, 'live', 'done' ]", 'the earlier query reads on; the interrupted cell\'s query stopped');
      // the earlier query still takes new records
      await send(1000, 1000);
      const more = await ok(kernel, 'await live.processedUpTo({ 0: 1000, 1: 1000 });\nlive.stats().events');
      assert.equal(result(more), '2000');
      await ok(kernel, 'await live.close(); await live2.close(); await h.close();');
      recordFault('interrupt-history', {
        done: 'Jupyter interrupt request while a cell awaited a history query of minutes (100,000 events in day-long windows sliding by a second: 8.6 billion window rows) it had started, through the real Jupyter server and kernel',
        saw: 'KeyboardInterrupt in the cell; the next cell ran with the variables kept; the query stopped with its cell, DuckDB\'s statement cut short (phase \'done\', no rows)',
        lost: null,
        duplicated: null,
        recoveryMs: history.ms,
        recovery: 'from the interrupt request to the interrupted cell\'s reply (control back)',
        details: { interruptToReplyMs: history.ms, nextCellMs: historyNextMs, queryStoppedWithinMs: historyStopMs },
      });
      recordFault('interrupt-live', {
        done: 'Jupyter interrupt request while a cell awaited a live query it had started, with another live query (started by an earlier cell) running',
        saw: 'KeyboardInterrupt in the cell; the next cell ran with the variables kept; the interrupted cell\'s query stopped, the earlier one kept reading (2,000 of 2,000 events)',
        lost: 0,
        duplicated: 0,
        recoveryMs: liveCut.ms,
        recovery: 'from the interrupt request to the interrupted cell\'s reply (control back)',
        details: { interruptToReplyMs: liveCut.ms, nextCellMs: liveNextMs },
      });
    } finally {
      await producer.disconnect();
    }
  });
});
