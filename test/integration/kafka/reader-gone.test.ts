/**
 * The exact-offset reader and a broker that goes away: while it is gone the reader keeps trying,
 * and once it has been gone longer than its BrokerWatch's timeout the watch gives up with a clear
 * KafkaError (broker-lost) naming the topic. A private broker (own state folder, own port), stopped for real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { KafkaError } from '../../../src/errors.js';
import { createTopicAndWait } from '../../../src/kafka/admin.js';
import { createKafka } from '../../../src/kafka/client.js';
import { openReader } from '../../../src/kafka/reader.js';
import { BrokerWatch } from '../../../src/kafka/watch.js';
import { startBroker, stopBroker } from '../../../src/local-kafka/broker.js';
import { kafkaPaths } from '../../../src/local-kafka/paths.js';
import { freePort } from '../../../src/local-kafka/ports.js';
import { messages } from '../../../src/messages.js';
import { tempDir } from '../engine/events.js';

test('a broker gone longer than the broker timeout ends the reader with a clear error', { timeout: 180_000 }, async () => {
  const paths = kafkaPaths(join(tempDir(), 'kafka'));
  const broker = await startBroker({ paths, port: await freePort() });
  try {
    const kafka = createKafka({ brokers: [broker.bootstrap], clientId: 'windowpane-gone-test', connectionTimeoutMs: 1000, requestTimeoutMs: 3000 });
    const admin = kafka.admin();
    await admin.connect();
    await createTopicAndWait(admin, { topic: 'gone', partitions: 2 });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'gone', acks: -1, messages: [{ partition: 0, value: 'a' }, { partition: 1, value: 'b' }] });
    await producer.disconnect();
    const read: string[] = [];
    const lost: unknown[] = [];
    const failed = new Promise<unknown>((resolve) => {
      const watch = new BrokerWatch({ topic: 'gone' }, 4000, {
        down: (e) => void lost.push(e),
        up: () => undefined,
        lost: (e) => void reader.stop().then(() => resolve(e)),
      });
      const reader = openReader(kafka, 'gone', new Map([[0, 0], [1, 0]]), (p, batch) => Promise.resolve(void read.push(...[...batch.offsets].map((o) => `${p}:${o}`))), { watch });
      void reader.start().then(async () => {
        while (read.length < 2) await new Promise((r) => setTimeout(r, 50));
        await stopBroker({ paths });
      });
    });
    const e = await failed;
    assert.deepEqual(read.sort(), ['0:0', '1:0']);
    assert.ok(lost.length === 1, 'the loss is reported once');
    assert.ok(e instanceof KafkaError, `a KafkaError, got ${String(e)}`);
    assert.equal(e.code, 'broker-lost');
    assert.match(e.message, new RegExp(`^${messages.brokerLost(broker.bootstrap, 'gone', 4000, 'x').split(' (topic')[0]!.replace(/[.()]/g, '\\$&')} \\(topic "gone"\\), so the client gave up`));
  } finally {
    await stopBroker({ paths });
  }
});
