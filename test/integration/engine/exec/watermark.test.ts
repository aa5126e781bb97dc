/** Watermarks on the live path: an idle partition stops holding them back; late events are kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { source, sql } from '../../../../src/index.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE } from '../events.js';

const schema = { ts: 'TIMESTAMP', v: 'BIGINT' } as const;
const at = (minute: number, v: number, partition = 0): { partition: number; value: string } => ({ partition, value: JSON.stringify({ ts: new Date(BASE + minute * 60_000).toISOString(), v }) });

test('a silent partition goes idle and windows close without it', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'idle' }, async (topic) => {
    const ev = source({ name: 'ev', time: 'ts', idleTimeout: '300 ms', live: { topic }, schema });
    const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: { finalWindows: 1 }, flush: false });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // only partition 0 speaks; partition 1 would hold the watermark at -∞ until it is idle
    await producer.send({ topic, messages: [at(1, 1), at(2, 1), at(12, 1)] });
    await producer.disconnect();
    await q.done;
    assert.deepEqual(q.snapshot().map((r) => [r.kind, r.windowStart - BASE, r.values.n]), [['final', 0, 2]]);
    await q.close();
  });
});

test('events behind final windows are late: counted and kept, the final row stands', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'late' }, async (topic) => {
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', live: { topic }, schema });
    const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: { offsets: { 0: 4 } } });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, messages: [at(1, 1), at(15, 2)] }); // watermark 14: window [0, 10) is final
    for await (const row of q.changes()) if (row.kind === 'final') break;
    await producer.send({ topic, messages: [at(3, 3), at(16, 4)] }); // minute 3 is late
    await producer.disconnect();
    const rows = await q.collect();
    assert.deepEqual(rows.map((r) => [r.windowStart - BASE, r.values.n]), [[0, 1], [600_000, 2]]);
    assert.equal(q.stats().late, 1);
    assert.deepEqual((await q.lateEvents()).map((e) => e.v), [3]);
    await q.close();
  });
});
