/**
 * Interval joins end to end on the real broker: the builder over a joined stream, bounded by
 * 'caughtUp' on both inputs, explain() showing each input's hand-off; an input's event behind its
 * own watermark is late for the join: counted, kept out, the rest still the batch answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, intervalJoin, source, tumble } from '../../../../src/index.js';
import { testKafka } from '../../../helpers/kafka.js';
import { BASE, diffResults, produce, tempDir, writeArchive, type TestEvent } from '../events.js';
import { deleteTopics, JOIN_COLUMNS, joinBatchAnswer, prepareSide, produceLive, stopAfterMarkers } from './joinEvents.js';

const MIN = 60_000;
const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const ev = (partition: number, minute: number, g: string, v: number): TestEvent => ({ partition, ts: BASE + minute * MIN, g, v, x: 0 });
const AGGS = { n: 'count(*)', sv: 'sum(v)', srv: 'sum(r_v)', sd: 'sum(epoch_ms(r_ts) - epoch_ms(ts))' };

test('builder over a joined stream: caughtUp reads both backlogs to their end; explain() shows both hand-offs', async () => {
  const kafka = testKafka();
  const dir = tempDir();
  const lEvents = Array.from({ length: 40 }, (_, i) => ev(i % 2, i, ['a', 'b'][i % 2]!, i));
  const rEvents = Array.from({ length: 30 }, (_, i) => ev(0, i * 1.5, ['a', 'b'][i % 2]!, 100 + i));
  const l = await prepareSide(kafka, 'l', lEvents, 2, [100, 100], 'backlog', dir);
  const r = await prepareSide(kafka, 'r', rEvents, 1, [50], 'archive', dir);
  try {
    // the archive holds half of r; the rest is in the topic after it: live from the archive's end
    await produce(kafka, r.topic, r.live, r.next);
    const common = { time: 'ts', maxOutOfOrderness: '1 minute', schema } as const;
    const joined = intervalJoin(source({ name: 'l', ...common, history: l.history, live: { topic: l.topic } }), source({ name: 'r', ...common, history: r.history, live: { topic: r.topic } }), { on: 'g', lower: '-2 minutes', upper: '3 minutes' });
    const q = await from(joined).window(tumble('ts', '10 minutes')).groupBy('g').aggregate(AGGS).run({ kafka, until: 'caughtUp' });
    const explain = q.explain();
    assert.match(explain, /interval join: b\.time BETWEEN a\.time \+ -120000 ms AND a\.time \+ 180000 ms, on g/);
    assert.match(explain, /a = l \(history kafkaBacklog, hand-off: backlog; live starts at 0:0 1:0\)/);
    assert.match(explain, /b = r \(history parquet, hand-off: archive; live starts at 0:15\)/);
    const rows = await q.collect();
    await q.close();
    assert.equal(diffResults(rows, await joinBatchAnswer(lEvents, rEvents, -2 * MIN, 3 * MIN, 10 * MIN, 10 * MIN), JOIN_COLUMNS), undefined);
  } finally {
    await deleteTopics(kafka, [l.topic, r.topic]);
  }
});

test('an input event behind its own watermark is late for the join: counted and kept out', async () => {
  const kafka = testKafka();
  const dir = tempDir();
  const lHistory = [ev(0, 0, 'a', 1), ev(0, 4, 'a', 2), ev(0, 20, 'a', 3)];
  const rEvents = [ev(0, 1, 'a', 10), ev(0, 6, 'a', 20), ev(0, 31, 'a', 30)];
  const l = await prepareSide(kafka, 'l', lHistory, 1, [100], 'backlog', dir);
  const r = await prepareSide(kafka, 'r', rEvents, 1, [0], 'backlog', dir);
  try {
    const common = { time: 'ts', maxOutOfOrderness: '1 minute', schema } as const;
    const joined = intervalJoin(source({ name: 'l', ...common, history: l.history, live: { topic: l.topic } }), source({ name: 'r', ...common, history: r.history, live: { topic: r.topic } }), { on: 'g', lower: '0s', upper: '5 minutes' });
    const q = await from(joined).window(tumble('ts', '10 minutes')).groupBy('g').aggregate(AGGS).run({ kafka, flush: true });
    // l's history puts its watermark at minute 19; its live event at minute 3 (which would meet r's
    // at minute 6) is late
    const markers = await produceLive(kafka, [{ ...l, live: [ev(0, 3, 'a', 99)] }, r], 1);
    await stopAfterMarkers(q, markers);
    const rows = await q.collect();
    assert.equal(q.stats().late, 1);
    await q.close();
    assert.equal(diffResults(rows, await joinBatchAnswer(lHistory, rEvents, 0, 5 * MIN, 10 * MIN, 10 * MIN), JOIN_COLUMNS), undefined);
  } finally {
    await deleteTopics(kafka, [l.topic, r.topic]);
  }
});

test('an input whose history is a file without offsets hands off by time: its overlap with the topic is not joined twice', async () => {
  const kafka = testKafka();
  const dir = tempDir();
  const lEvents = Array.from({ length: 30 }, (_, i) => ev(0, i, ['a', 'b'][i % 2]!, i));
  const rEvents = Array.from({ length: 20 }, (_, i) => ev(0, i * 1.5 + 0.5, ['a', 'b'][i % 2]!, 100 + i));
  // l: the whole stream is in its topic (record time = event time); the file holds minutes 0..19 without offsets
  const l = await prepareSide(kafka, 'l', [], 1, [0], 'backlog', dir);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic: l.topic, acks: -1, messages: lEvents.map((e) => ({ partition: 0, timestamp: String(e.ts), value: JSON.stringify({ ts: new Date(e.ts).toISOString(), g: e.g, v: e.v, x: e.x }) })) });
  await producer.disconnect();
  const file = `${dir}/l-history.parquet`;
  await writeArchive(file, lEvents.slice(0, 20), lEvents.slice(0, 20).map((_, i) => i));
  const r = await prepareSide(kafka, 'r', rEvents, 1, [100], 'backlog', dir);
  try {
    const common = { time: 'ts', maxOutOfOrderness: '1 minute', schema } as const;
    const ls = source({ name: 'l', ...common, history: { query: `SELECT ts, g, v, x FROM '${file}'` }, live: { topic: l.topic } });
    const joined = intervalJoin(ls, source({ name: 'r', ...common, history: r.history, live: { topic: r.topic } }), { on: 'g', lower: '-3 minutes', upper: '3 minutes' });
    const q = await from(joined).window(tumble('ts', '10 minutes')).groupBy('g').aggregate(AGGS).run({ kafka, until: 'caughtUp' });
    assert.match(q.explain(), /a = l \(history query, hand-off: time; live starts at 0:\d+\)/);
    const rows = await q.collect();
    await q.close();
    assert.equal(diffResults(rows, await joinBatchAnswer(lEvents, rEvents, -3 * MIN, 3 * MIN, 10 * MIN, 10 * MIN), JOIN_COLUMNS), undefined);
  } finally {
    await deleteTopics(kafka, [l.topic, r.topic]);
  }
});
