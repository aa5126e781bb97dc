/**
 * A broker restart in the middle of a live run: no event lost or counted twice. The test starts a
 * private broker (own state folder, own port) so that it never touches the shared one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createKafka } from '../../../../src/kafka/client.js';
import { startBroker, stopBroker } from '../../../../src/local-kafka/broker.js';
import { kafkaPaths } from '../../../../src/local-kafka/paths.js';
import { freePort } from '../../../../src/local-kafka/ports.js';
import { source, sql, type Query } from '../../../../src/index.js';
import { BASE, batchAnswer, diffResults, produce, tempDir, type TestEvent } from '../events.js';
import { createTopicAndWait } from '../../../../src/kafka/admin.js';

const AGGS = 'count(*) AS n, sum(v) AS sv';

async function until(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

test('a broker restart mid-run loses and repeats nothing', { timeout: 240_000 }, async () => {
  const paths = kafkaPaths(join(tempDir(), 'kafka'));
  const broker = await startBroker({ paths, port: await freePort() });
  let q: Query | undefined;
  try {
    const kafka = createKafka({ brokers: [broker.bootstrap], clientId: 'windowpane-restart-test', connectionTimeoutMs: 3000, requestTimeoutMs: 10_000 });
    const admin = kafka.admin();
    await admin.connect();
    const topic = 'restart-events';
    await createTopicAndWait(admin, { topic, partitions: 2 });
    await admin.disconnect();
    const evs: TestEvent[] = Array.from({ length: 600 }, (_, i) => ({ partition: i % 2, ts: BASE + i * 20_000, g: ['a', 'b'][i % 2]!, v: i, x: 0 }));
    const next = [0, 0];
    // 1. a backlog, then a live run bounded by the final offsets
    await produce(kafka, topic, evs.slice(0, 200), next);
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', idleTimeout: '10 minutes', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } });
    q = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: { offsets: { 0: 300, 1: 300 } } });
    const query = q;
    await produce(kafka, topic, evs.slice(200, 400), next);
    await until(() => query.stats().positions[0] === 200 && query.stats().positions[1] === 200, 'the live run to read the first 400 events');
    // 2. restart the broker under the running query
    await stopBroker({ paths });
    const again = await startBroker({ paths });
    assert.equal(again.bootstrap, broker.bootstrap);
    // 3. more events after the restart
    await produce(kafka, topic, evs.slice(400), next);
    const rows = await q.collect();
    assert.equal(q.stats().events, 600);
    assert.equal(diffResults(rows, await batchAnswer(evs, 600_000, 600_000, AGGS), ['n', 'sv']), undefined);
  } finally {
    await q?.close();
    await stopBroker({ paths });
  }
});
