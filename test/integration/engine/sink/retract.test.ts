/**
 * Retractions through sinks: session windows merged by late data retract the sessions they replace;
 * a 'final' Kafka sink writes a tombstone for each retracted key and a table sink deletes it, so both
 * end equal to the query's result table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { kafkaSink, source, sql, tableSink } from '../../../../src/index.js';
import { createTopic, testKafka, withTopic } from '../../../helpers/kafka.js';
import { lastPerKey, readTopic } from './readTopic.js';

test('a retracted session is a tombstone in Kafka and a deleted row in a table', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'sink-retract' }, async (topic) => {
    const out = await createTopic({ prefix: 'sink-retract-out', partitions: 1, kafka });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const click = (minute: number, user: string) => ({ value: JSON.stringify({ ts: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(), user }) });
    await producer.send({ topic, acks: -1, messages: [click(0, 'alice'), click(3, 'alice'), click(1, 'bob')] });
    const clicks = source({ name: 'clicks', time: 'ts', maxOutOfOrderness: '1 minute', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', user: 'VARCHAR' } });
    const db = await DuckDBInstance.create(':memory:');
    const query = await sql(`SELECT window_start, window_end, user, count(*) AS clicks FROM SESSION(clicks PARTITION BY user, ts, '5 minutes') GROUP BY ALL`, {
      sources: { clicks }, kafka, duckdb: db, emit: 'updates', updateInterval: 0, allowedLateness: '30 minutes', until: { offsets: { 0: 7 } },
    });
    const toKafka = await query.sink(kafkaSink({ topic: out }));
    const toTable = await query.sink(tableSink({ table: 'sessions' }));
    // alice's click at 00:10 closes in its own session; her late click at 00:06 merges both into one
    let offset = 3;
    for (const [minute, user] of [[10, 'alice'], [30, 'bob'], [6, 'alice'], [90, 'bob']] as const) {
      await producer.send({ topic, acks: -1, messages: [click(minute, user)] });
      await query.processedUpTo({ 0: ++offset });
    }
    await producer.disconnect();
    const rows = await query.collect();
    assert.ok(query.stats().retracted >= 1, 'the merge retracted a session');
    const expected = new Map(rows.map((r) => [r.key, { user: r.group.user, clicks: r.values.clicks, window_start: r.windowStart, window_end: r.windowEnd }]));

    const k = await toKafka.done;
    assert.equal(k.deleted, query.stats().retracted);
    const records = await readTopic(kafka, out);
    assert.equal(records.filter((r) => r.value === null).length, k.deleted, 'one tombstone per retraction');
    const latest = new Map([...lastPerKey(records)].map(([key, v]) => {
      const m = JSON.parse(v) as { window_start: number; window_end: number; group: { user: string }; values: { clicks: number } };
      return [key, { user: m.group.user, clicks: m.values.clicks, window_start: m.window_start, window_end: m.window_end }];
    }));
    assert.deepEqual(latest, expected);

    const t = await toTable.done;
    assert.equal(t.deleted, k.deleted);
    const table = await toTable.read('SELECT key, "user", clicks, epoch_ms(window_start) AS ws, epoch_ms(window_end) AS we FROM sessions');
    assert.deepEqual(new Map(table.map((r) => [r.key as string, { user: r.user, clicks: r.clicks, window_start: r.ws, window_end: r.we }])), expected);
    await query.close();
    db.closeSync();
  });
});
