/** Live formats (CSV), Arrow output, many partitions at exact offsets, and an unreachable broker. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createKafka } from '../../../../src/kafka/client.js';
import { freePort } from '../../../../src/local-kafka/ports.js';
import { isWindowpaneError, source, sql } from '../../../../src/index.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, batchAnswer, diffResults, produce, tempDir, writeArchive, type TestEvent } from '../events.js';

test('CSV values on the live topic, and the changelog as Arrow record batches', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'csv' }, async (topic) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, messages: ['2024-01-01T00:00:10Z;a;3', '2024-01-01T00:00:20Z;b;4', '2024-01-01T00:01:30Z;a;5', 'broken;line'].map((value) => ({ value })) });
    await producer.disconnect();
    const ev = source({ name: 'ev', time: 'ts', live: { topic, format: 'csv', csvDelimiter: ';' }, schema: { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'INTEGER' } });
    const q = await sql(`SELECT window_start, sum(v) AS total FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: [ev], kafka, until: 'caughtUp' });
    const rows = await q.collect();
    assert.deepEqual(rows.map((r) => [r.windowStart - BASE, r.values.total]), [[0, 7], [60_000, 5]]);
    assert.equal(q.stats().deadLetters, 1);
    let arrowRows = 0;
    for await (const batch of q.batches()) {
      assert.deepEqual(batch.schema.fields.map((f) => f.name).sort(), ['key', 'kind', 'late', 'total', 'window_end', 'window_start']);
      arrowRows += batch.numRows;
    }
    assert.equal(arrowRows, 2);
    await q.close();
  });
});

test('many partitions: the archive hand-off neither skips nor repeats at any partition', async () => {
  const kafka = testKafka();
  const partitions = 12;
  await withTopic({ partitions, prefix: 'many' }, async (topic) => {
    const evs: TestEvent[] = Array.from({ length: 1200 }, (_, i) => ({ partition: (i * 7) % partitions, ts: BASE + i * 1000, g: ['a', 'b'][i % 2]!, v: i, x: 0 }));
    const next = new Array<number>(partitions).fill(0);
    const offsets = await produce(kafka, topic, evs, next);
    // archive a different prefix of each partition: partition p keeps offsets < 5p
    const keep = evs.map((e, i) => ({ e, o: offsets[i]! })).filter(({ e, o }) => o < 5 * e.partition);
    const path = join(tempDir(), 'many.parquet');
    await writeArchive(path, keep.map((k) => k.e), keep.map((k) => k.o));
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '10 minutes', history: { parquet: path }, live: { topic } });
    const q = await sql(`SELECT window_start, g, count(*) AS n, sum(v) AS sv FROM TUMBLE(ev, ts, '5 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: 'caughtUp' });
    const rows = await q.collect();
    assert.equal(q.stats().events, evs.length);
    assert.equal(diffResults(rows, await batchAnswer(evs, 300_000, 300_000, 'count(*) AS n, sum(v) AS sv'), ['n', 'sv']), undefined);
    await q.close();
  });
});

test('an unreachable broker is a clear, retriable error', async () => {
  const port = await freePort();
  const kafka = createKafka({ brokers: [`127.0.0.1:${port}`], clientId: 'windowpane-test', connectionTimeoutMs: 300, requestTimeoutMs: 300 });
  const ev = source({ name: 'ev', time: 'ts', live: { topic: 'anything' }, schema: { ts: 'TIMESTAMP' } });
  await assert.rejects(sql(`SELECT window_start, count(*) FROM TUMBLE(ev, ts, '1 hour') GROUP BY ALL`, { sources: [ev], kafka }), (e: unknown) => {
    assert.ok(isWindowpaneError(e));
    assert.equal(e.code, 'broker-unreachable');
    assert.equal(e.retriable, true);
    assert.match(e.message, /cannot reach Kafka/);
    return true;
  });
});

test('Kafka metadata columns (_key, _partition, _offset, _headers) and text values', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'meta' }, async (topic) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const line = (partition: number, key: string, value: string) => ({ partition, key, value, headers: { origin: 'test' } });
    await producer.send({ topic, messages: [line(0, 'k1', 'hello'), line(1, 'k2', 'world'), line(1, 'k2', 'again')] });
    await producer.disconnect();
    // text values: the whole value is the first column; event time is the Kafka timestamp
    const ev = source({ name: 'ev', time: '_timestamp', live: { topic, format: 'text' }, schema: { line: 'VARCHAR', _timestamp: 'TIMESTAMP' } });
    const q = await sql(
      `SELECT window_start, _partition, _key, count(*) AS n, max(_offset) AS last, string_agg(line, ',' ORDER BY _offset) AS lines, any_value(_headers->>'origin') AS origin
         FROM TUMBLE(ev, _timestamp, '1 day') GROUP BY window_start, _partition, _key`,
      { sources: [ev], kafka, until: 'caughtUp' },
    );
    const rows = await q.collect();
    assert.deepEqual(rows.map((r) => [r.group, r.values]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [
      [{ _partition: 0, _key: 'k1' }, { n: 1, last: 0, lines: 'hello', origin: 'test' }],
      [{ _partition: 1, _key: 'k2' }, { n: 2, last: 1, lines: 'world,again', origin: 'test' }],
    ]);
    await q.close();
  });
});
