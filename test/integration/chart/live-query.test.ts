/**
 * chart() and table() over a real live query on the real Kafka broker: windows fill (provisional),
 * close (final), the output follows by display_id, and an interrupt stops chart and query alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chart, table, source, sql, CHART_MIME, type ChartPayload } from '../../../src/index.js';
import { withTopic } from '../../helpers/kafka.js';
import { RecordingHost } from '../../unit/chart/recording-host.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a live chart follows a windowed query over Kafka and stops with it on interrupt', async () => {
  await withTopic({ partitions: 1 }, async (topic, kafka) => {
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: 0, live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT' } });
    const q = await sql(`SELECT window_start, g, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY window_start, g`, { sources: [ev], kafka, emit: 'updates', updateInterval: 50 });
    const host = new RecordingHost();
    const c = chart(q, { mark: 'bar', encoding: { x: { field: 'window_start', type: 'ordinal', timeUnit: 'utchoursminutes' }, y: { field: 'n', type: 'quantitative', aggregate: 'sum' }, color: { field: 'g', type: 'nominal' } } }, { host, updatesPerSecond: 10 });
    const t = table(q, { host });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const send = (minute: number, g: string, count: number) =>
        producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ value: JSON.stringify({ ts: new Date(T0 + minute * MINUTE + i * 1000).toISOString(), g, v: i }) })) });
      // 1. minute 0 fills: provisional rows
      await send(0, 'a', 3);
      await send(0, 'b', 2);
      await until('provisional rows of minute 0', () => c.model.size === 2);
      assert.ok(c.model.values().every((r) => r.kind === 'provisional'));
      // 2. an event in minute 2 moves the watermark past minute 0: final rows
      await send(2, 'a', 1);
      await until('final rows of minute 0', () => c.model.values().filter((r) => r.kind === 'final').length === 2);
      const n: Record<string, unknown> = Object.fromEntries(c.model.values().filter((r) => r.kind === 'final').map((r): [string, unknown] => [String(r.g), r.n]));
      assert.deepEqual(n, { a: 3, b: 2 });
      // 3. the output followed: display_data, then updates by the same display_id
      await until('an output update with minute 2', () => {
        const last = host.shown.filter((s) => s.data[CHART_MIME]).at(-1);
        return (last?.data[CHART_MIME] as ChartPayload | undefined)?.values.length === 3;
      });
      const outputs = host.shown.filter((s) => s.data[CHART_MIME]);
      assert.ok(outputs.length >= 2 && !outputs[0]!.update && outputs.slice(1).every((s) => s.update && s.displayId === outputs[0]!.displayId));
      // 4. interrupt: the chart ends, its last snapshot says so, the query stops
      host.interrupt();
      assert.equal((await c.done).state, 'interrupted');
      assert.equal(await t.done, 'interrupted');
      await q.done;
      const last = host.shown.filter((s) => s.data[CHART_MIME]).at(-1)!;
      assert.equal((last.data[CHART_MIME] as ChartPayload).state, 'interrupted');
      assert.match(String(last.data['image/svg+xml']), /<svg/);
      assert.match(String(host.shown.filter((s) => s.data['text/html']).at(-1)?.data['text/html']), /interrupted/);
      // 5. events after the interrupt change nothing
      const before = host.shown.length;
      await send(3, 'a', 5);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(host.shown.length, before);
    } finally {
      await producer.disconnect();
      await q.close();
    }
  });
});
