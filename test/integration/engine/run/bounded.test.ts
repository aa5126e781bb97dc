/** Bounded runs (caught up, duration, N final windows, offsets), emit modes, and bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWindowpaneError, source, sql } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, batchAnswer, diffResults, produce, type TestEvent } from '../events.js';

const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const AGGS = 'count(*) AS n, sum(v) AS sv';
const minutes = (n: number, partitions: number, from = 0): TestEvent[] =>
  Array.from({ length: n }, (_, i) => ({ partition: i % partitions, ts: BASE + (from + i) * 60_000, g: 'a', v: i + from, x: 0.5 }));

test('until caughtUp stops at the end offsets seen at start', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 3, prefix: 'caught' }, async (topic) => {
    const next = [0, 0, 0];
    const evs = minutes(120, 3);
    await produce(kafka, topic, evs, next);
    const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    const q = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: 'caughtUp' });
    const rows = await q.collect();
    assert.equal(diffResults(rows, await batchAnswer(evs, 600_000, 600_000, AGGS), ['n', 'sv']), undefined);
    assert.deepEqual(q.stats().positions, { 0: 40, 1: 40, 2: 40 });
    await q.close();
  });
});

test('until N final windows, emit updates: provisional rows first, then the final ones; no flush', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'final-n' }, async (topic) => {
    const next = [0];
    const ev = source({ name: 'ev', time: 'ts', live: { topic }, schema });
    const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, {
      sources: [ev], kafka, until: { finalWindows: 2 }, flush: false, emit: 'updates', updateInterval: 0,
    });
    const kinds: string[] = [];
    const seen = (async () => {
      for await (const r of q.changes()) kinds.push(r.kind);
    })();
    // one event at a time: each batch makes a provisional row; minute 20 closes window 0, minute 30 window 1
    for (const e of minutes(35, 1)) await produce(kafka, topic, [e], next);
    await q.done;
    await seen;
    const rows = q.snapshot();
    assert.ok(q.stats().finalWindows >= 2);
    assert.deepEqual(rows.filter((r) => r.kind === 'final').slice(0, 2).map((r) => r.values.n), [10, 10]);
    assert.ok(kinds.indexOf('provisional') < kinds.indexOf('final'), 'provisional rows come before the final row');
    assert.equal(kinds.filter((k) => k === 'final').length >= 2, true);
    await q.close();
  });
});

test('until a duration ends the run; until offsets reads exactly up to them', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'duration' }, async (topic) => {
    const next = [0, 0];
    await produce(kafka, topic, minutes(40, 2), next);
    const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: { duration: '1500 ms' } });
    const rows = await q.collect();
    assert.equal(q.stats().phase, 'done');
    assert.equal(rows.reduce((a, r) => a + Number(r.values.n), 0), 40);
    await q.close();

    const q2 = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka, until: { offsets: { 0: 5, 1: 7 } } });
    const rows2 = await q2.collect();
    assert.equal(rows2.reduce((a, r) => a + Number(r.values.n), 0), 12);
    assert.deepEqual(q2.stats().positions, { 0: 5, 1: 7 });
    await q2.close();
  });
});

test('bad records are counted and kept in the dead-letter table; the stream goes on', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'dead' }, async (topic) => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const good = (m: number, v: number): string => JSON.stringify({ ts: new Date(BASE + m * 60_000).toISOString(), g: 'a', v, x: 1.5 });
    await producer.send({
      topic,
      messages: [good(0, 1), 'not json', '[1,2]', JSON.stringify({ ts: '2024-01-01T00:01:00Z', g: 'a', v: 'seven' }), JSON.stringify({ g: 'a', v: 1 }), good(1, 2), JSON.stringify({ ts: 'yesterday', v: 1 }), good(2, 4)].map((value) => ({ value })),
    });
    await producer.disconnect();
    const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    const q = await sql(`SELECT window_start, count(*) AS n, sum(v) AS sv FROM TUMBLE(ev, ts, '1 hour') GROUP BY ALL`, { sources: [ev], kafka, until: 'caughtUp' });
    const rows = await q.collect();
    assert.deepEqual(rows.map((r) => r.values), [{ n: 3, sv: 7 }]);
    assert.equal(q.stats().deadLetters, 5);
    const dead = await q.deadLetters();
    assert.deepEqual(dead.map((d) => [d.offset, d.reason]), [
      [1, 'malformed JSON'],
      [2, 'not a JSON object'],
      [3, 'column v: expected BIGINT, got seven'],
      [4, 'missing event time "ts"'],
      [6, 'column ts: expected TIMESTAMP, got yesterday'],
    ]);
    assert.equal(dead[0]!.value, 'not json');
    await q.close();
  });
});

test('a missing topic, a missing file and a bad SQL column are clear errors', async () => {
  const kafka = testKafka();
  const ev = source({ name: 'ev', time: 'ts', live: { topic: 'no-such-topic-windowpane' }, schema });
  await assert.rejects(sql(`SELECT window_start, count(*) FROM TUMBLE(ev, ts, '1 hour') GROUP BY ALL`, { sources: [ev], kafka }), (e: unknown) => {
    assert.ok(isWindowpaneError(e));
    assert.equal(e.message, messages.liveTopicMissing('no-such-topic-windowpane', 'ev'));
    return true;
  });
  const files = source({ name: 'files', time: 'ts', history: { parquet: '/nonexistent/windowpane/*.parquet' } });
  await assert.rejects(sql(`SELECT window_start, count(*) FROM TUMBLE(files, ts, '1 hour') GROUP BY ALL`, { sources: [files] }), (e: unknown) => isWindowpaneError(e) && e.code === 'history-unreadable' && /\/nonexistent\/windowpane/.test(e.message));
  await assert.rejects(sql(`SELECT window_start, sum(vv) FROM TUMBLE(ev, ts, '1 hour') GROUP BY ALL`, { sources: [ev], kafka }), (e: unknown) => isWindowpaneError(e) && e.code === 'sql-invalid' && /did you mean "v"\?/.test(e.message));
});
