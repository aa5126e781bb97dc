/**
 * Fault 1: kill -9 of the broker in the middle of a live query, restarted on the same data after a
 * pause longer than the source's idle timeout. The query says so in a warning and in stats(),
 * reconnects, resumes from its offsets, and every final window equals the batch answer: nothing
 * lost, nothing counted twice. Its Kafka sink converges to the same rows, one message per key.
 * Then the sink's broker alone dies while the query keeps producing rows: they wait and are sent.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { kafkaSink, source, sql, type ChangelogRow, type Query, type Scalar } from '../../src/index.js';
import { messages } from '../../src/messages.js';
import { uniqueTopicName, withTopic } from '../helpers/kafka.js';
import { batchAnswer, produce, type TestEvent, BASE } from '../integration/engine/events.js';
import { lastPerKey, readTopic } from '../integration/engine/sink/readTopic.js';
import { createTopicOn, startPrivateBroker, until, type PrivateBroker } from './broker.js';
import { recordFault, since } from './figures.js';

const PARTITIONS = 3;
const PER_CHUNK = 1000; // events per partition per chunk
const AGGS = 'count(*) AS n, sum(v) AS sv';
/** How long the broker stays dead after the query noticed: with the ~10 s it takes to notice and the restart, longer than the idle timeout (20 s). */
const PAUSE_MS = 20_000;
const SCHEMA = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' };

let broker: PrivateBroker | undefined;
/** The first test's sink figures (source and sink on the killed broker), reported with the second's. */
let sameBroker: { messages: number; wrong: number; repeated: number; warnings: number } | undefined;
after(async () => {
  await broker?.remove();
});

/** Chunk `c` of the stream: one event a second per partition; partition p runs 3p minutes behind partition 0 in event time. */
function chunk(c: number): TestEvent[] {
  const out: TestEvent[] = [];
  for (let i = 0; i < PER_CHUNK; i++) {
    for (let p = 0; p < PARTITIONS; p++) {
      const n = c * PER_CHUNK + i;
      out.push({ partition: p, ts: BASE + n * 1000 - p * 180_000, g: `g${(n * 7 + p) % 5}`, v: (n * 31 + p * 17) % 1000, x: 0 });
    }
  }
  return out;
}

/** Events lost and counted twice: per window and group, the count short of and beyond the batch answer. */
function lostAndDuplicated(rows: readonly ChangelogRow[], expected: Map<string, Record<string, Scalar>>): { lost: number; duplicated: number } {
  const got = new Map(rows.map((r) => [r.key, Number(r.values.n)]));
  let lost = 0;
  let duplicated = 0;
  for (const key of new Set([...got.keys(), ...expected.keys()])) {
    const d = (got.get(key) ?? 0) - Number(expected.get(key)?.n ?? 0);
    if (d > 0) duplicated += d;
    else lost -= d;
  }
  return { lost, duplicated };
}

/** The sink topic read back: the last row per key, and how many messages went to a key already written. */
async function sinkFigures(kafka: Kafka, topic: string, expected: Map<string, Record<string, Scalar>>): Promise<{ messages: number; keys: number; repeated: number; wrong: number }> {
  const records = await readTopic(kafka, topic);
  const last = lastPerKey(records);
  let wrong = 0;
  for (const [key, exp] of expected) {
    const v = last.get(key);
    const values = v === undefined ? undefined : (JSON.parse(v) as { values: Record<string, Scalar> }).values;
    if (values?.n !== exp.n || values?.sv !== exp.sv) wrong++;
  }
  wrong += [...last.keys()].filter((k) => !expected.has(k)).length;
  return { messages: records.length, keys: last.size, repeated: records.length - last.size, wrong };
}

test('kill -9 of the broker mid-query: a warning and stats() tell, the query resumes from its offsets, final windows and the Kafka sink equal the batch answer', { timeout: 600_000 }, async () => {
  broker = await startPrivateBroker('fault-kill');
  const b = broker;
  const topic = 'fault-events';
  const out = 'fault-sink';
  await createTopicOn(b.kafka, topic, PARTITIONS);
  await createTopicOn(b.kafka, out, 1);
  const chunks = Array.from({ length: 10 }, (_, c) => chunk(c));
  const next = new Array<number>(PARTITIONS).fill(0);
  // 1. a backlog (history), then a live query bounded by the final offsets, writing to a Kafka sink
  await produce(b.kafka, topic, chunks[0]!, next);
  const warnings: { at: number; text: string }[] = [];
  const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '10 seconds', idleTimeout: '20 seconds', history: { kafkaBacklog: true }, live: { topic }, schema: SCHEMA });
  const end = Object.fromEntries(Array.from({ length: PARTITIONS }, (_, p) => [p, chunks.length * PER_CHUNK]));
  const q: Query = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, {
    sources: [ev], kafka: b.kafka, until: { offsets: end }, onWarning: (text) => warnings.push({ at: performance.now(), text }),
  });
  try {
    const sink = await q.sink(kafkaSink({ topic: out, kafka: b.kafka }));
    // 2. live chunks while the query runs
    for (let c = 1; c <= 3; c++) await produce(b.kafka, topic, chunks[c]!, next);
    await q.processedUpTo(Object.fromEntries(next.map((o, p) => [p, o])));
    // 3. one more chunk, and the kill right behind it: records in flight
    await produce(b.kafka, topic, chunks[4]!, next);
    const readAtKill = Object.values(q.stats().positions).reduce((a, o) => a + o, 0);
    const tKill = performance.now();
    await b.kill();
    const sourceDown = (w: { text: string }): boolean => w.text.startsWith(`source "ev": Kafka at ${b.bootstrap} is unreachable`);
    await until("the source's outage warning", () => warnings.some(sourceDown), 60_000);
    const detectedMs = since(tKill);
    const during = q.stats();
    assert.equal(during.phase, 'live');
    assert.equal(during.broker?.state, 'unreachable');
    assert.equal(during.broker?.outages, 1);
    assert.match(during.broker?.lastError ?? '', /ECONNREFUSED|Connection/);
    const down = warnings.find(sourceDown);
    assert.ok(down, `a warning names the source and the broker: ${JSON.stringify(warnings)}`);
    assert.match(down.text, /Reading topic "fault-events" paused at offsets 0:\d+, 1:\d+, 2:\d+: it resumes there when the broker is back \(nothing lost, nothing read twice\), or the run stops with an error after 120 s\.$/);
    // 4. a pause longer than the idle timeout: partitions must not go idle for want of a broker
    await delay(PAUSE_MS);
    const restartMs = await b.restart();
    const tBack = performance.now();
    // 5. the rest of the stream at once (a silence as long as the idle timeout would close windows, rightly)
    const producing = (async () => {
      for (let c = 5; c < chunks.length; c++) await produce(b.kafka, topic, chunks[c]!, next);
    })();
    await until('the reader to reconnect', () => q.stats().broker?.state === 'connected', 60_000);
    const reconnectMs = since(tBack);
    const back = warnings.find((w) => w.text.startsWith(`source "ev": Kafka at ${b.bootstrap} answers again after `));
    assert.ok(back, `a second warning says it is back: ${JSON.stringify(warnings)}`);
    // 6. the run ends at the final offsets
    await producing;
    const rows = await q.collect();
    const all = chunks.flat();
    const expected = await batchAnswer(all, 60_000, 60_000, AGGS);
    const { lost, duplicated } = lostAndDuplicated(rows, expected);
    const stats = q.stats();
    assert.equal(stats.events, all.length, 'every event counted once');
    assert.deepEqual({ lost, duplicated }, { lost: 0, duplicated: 0 });
    assert.equal(rows.length, expected.size);
    for (const r of rows) assert.equal(r.values.sv, expected.get(r.key)?.sv, r.key);
    assert.deepEqual(await q.lateEvents(), [], 'no window closed early during the outage');
    assert.equal(stats.broker?.state, 'connected');
    assert.ok((stats.broker?.downMs ?? 0) >= PAUSE_MS);
    // 7. the sink: every final row once per key, with the batch answer's values
    const written = await sink.done;
    const s = await sinkFigures(b.kafka, out, expected);
    assert.deepEqual({ keys: s.keys, wrong: s.wrong, repeated: s.repeated }, { keys: expected.size, wrong: 0, repeated: 0 });
    assert.equal(written.messages, s.messages);
    recordFault('broker-kill', {
      done: `kill -9 of the broker during a live windowed query over ${PARTITIONS} partitions (${readAtKill} of ${all.length} events read, ${chunks[4]!.length} just written), restarted on the same data ${Math.round((performance.now() - tKill - reconnectMs) / 1000)} s later, a pause longer than the idle timeout (20 s)`,
      saw: `a warning in the cell ("source \\"ev\\": Kafka at … is unreachable … paused at offsets …") ${(detectedMs / 1000).toFixed(1)} s after the kill, stats().broker.state 'unreachable' meanwhile, and "answers again after …; reading … resumed at offsets …" on reconnection`,
      lost,
      duplicated,
      recoveryMs: reconnectMs,
      recovery: `from the restarted broker answering (seen by the test's probe, every 0.2 s) to the query reading again; the broker itself took ${(restartMs / 1000).toFixed(1)} s to restart after kill -9`,
      details: { events: all.length, windows: rows.length, detectedMs, restartMs, reconnectMs, downMs: stats.broker?.downMs ?? 0, lateEvents: 0 },
    });
    sameBroker = { messages: s.messages, wrong: s.wrong, repeated: s.repeated, warnings: warnings.filter((w) => w.text.startsWith('Kafka sink')).length };
  } finally {
    await q.close();
  }
});

test("kill -9 of the Kafka sink's broker while the query keeps producing rows: they wait, are sent on its return, one message per key", { timeout: 600_000 }, async () => {
  assert.ok(broker, 'the first test started the private broker');
  const b = broker;
  const out = uniqueTopicName('fault-sink-only');
  await createTopicOn(b.kafka, out, 1);
  // the source is on the shared test broker, which keeps running; only the sink's broker dies
  await withTopic({ prefix: 'fault-sink-src', partitions: 1 }, async (topic, shared) => {
    const events = (from: number, to: number): TestEvent[] => Array.from({ length: to - from }, (_, i) => ({ partition: 0, ts: BASE + (from + i) * 1000, g: `g${(from + i) % 4}`, v: from + i, x: 0 }));
    const next = [0];
    const warnings: string[] = [];
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: 0, live: { topic, startAt: 'earliest' }, schema: SCHEMA });
    const q = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: [ev], kafka: shared, until: { offsets: { 0: 3000 } }, onWarning: (m) => warnings.push(m) });
    try {
      const sink = await q.sink(kafkaSink({ topic: out, kafka: b.kafka }));
      await produce(shared, topic, events(0, 1000), next);
      await q.processedUpTo({ 0: 1000 });
      await b.kill();
      // rows close while the sink's broker is away
      const tKill = performance.now();
      await produce(shared, topic, events(1000, 2000), next);
      await until("the sink's outage warning", () => warnings.length > 0, 60_000);
      const detectedMs = since(tKill);
      assert.equal(q.stats().broker?.state, 'unreachable');
      assert.equal(q.stats().phase, 'live', 'the query reads on');
      const restartMs = await b.restart();
      const tBack = performance.now();
      await until('the sink to send again', () => warnings.some((w) => w.includes('answers again after')), 60_000);
      const resentMs = since(tBack);
      await produce(shared, topic, events(2000, 3000), next);
      const rows = await q.collect();
      await sink.done;
      const expected = await batchAnswer(events(0, 3000), 60_000, 60_000, AGGS);
      assert.equal(rows.length, expected.size);
      const s = await sinkFigures(b.kafka, out, expected);
      assert.deepEqual({ keys: s.keys, wrong: s.wrong, repeated: s.repeated }, { keys: expected.size, wrong: 0, repeated: 0 });
      assert.equal(warnings.length, 2, warnings.join('\n'));
      assert.equal(warnings[0], messages.brokerDownSink(out, b.bootstrap, q.stats().broker?.lastError ?? '', 120_000));
      assert.match(warnings[1]!, new RegExp(`^Kafka sink to topic "${out}": Kafka at ${b.bootstrap} answers again after \\d+(\\.\\d)? s; the waiting rows are being sent\\.$`));
      assert.ok(sameBroker, 'the first test measured the sink on the killed broker');
      recordFault('broker-kill-sink', {
        done: `the query above writing its final rows through kafkaSink to the same broker, through the same kill -9 and restart (${sameBroker.messages} rows); then kill -9 of the sink's broker alone while the query, reading another broker, kept closing windows`,
        saw: `"Kafka sink to topic …: Kafka at … is unreachable … Rows wait and are sent when the broker is back" ${(detectedMs / 1000).toFixed(1)} s after the kill, stats().broker.state 'unreachable', then "answers again after …"`,
        lost: s.wrong + sameBroker.wrong,
        duplicated: s.repeated + sameBroker.repeated,
        recoveryMs: resentMs,
        recovery: `from the sink's restarted broker answering (seen by the test's probe, every 0.2 s${resentMs < 1 ? '; 0 ms: the sink was sending again before the probe saw the broker' : ''}) to the waiting rows being sent; the broker itself took ${(restartMs / 1000).toFixed(1)} s to restart`,
        details: { sinkMessages: s.messages + sameBroker.messages, keys: s.keys, detectedMs, restartMs, resentMs, sameBrokerSinkWarnings: sameBroker.warnings },
      });
    } finally {
      await q.close();
    }
  });
});
