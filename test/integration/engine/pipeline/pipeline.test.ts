/**
 * Stateless pipelines on the real broker: the topic's backlog then live (with a bad record counted
 * and kept) into a Kafka sink; an archive with offsets then live, in SQL, into table and Parquet
 * sinks; bounded runs that end by themselves; and the errors for what a pipeline cannot run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { from, isWindowpaneError, kafkaSink, parquetSink, pipeline, source, tableSink, tumble, runPipeline, type PipelineRecord } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { createTopic, testKafka, uniqueTopicName, withTopic } from '../../../helpers/kafka.js';
import { BASE, eventJson, produce, tempDir, writeArchive, type TestEvent } from '../events.js';
import { readTopic } from '../sink/readTopic.js';
import { createTopicAndWait } from '../../../../src/kafka/admin.js';

const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const events = (from: number, n: number, partitions: number): TestEvent[] =>
  Array.from({ length: n }, (_, i) => ({ partition: (from + i) % partitions, ts: BASE + (from + i) * 1000, g: ['a', 'b', 'c'][(from + i) % 3]!, v: from + i, x: (from + i) / 2 }));
const byV = (a: PipelineRecord, b: PipelineRecord): number => Number(a.v ?? a.v2) - Number(b.v ?? b.v2);

test('backlog then live, with a bad record: filter, derive, select into a Kafka sink keyed by a column', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'pipe-backlog' }, async (topic) => {
    const out = await createTopic({ prefix: 'pipe-out', partitions: 2, kafka });
    // event-time stamps from 2024: a topic whose retention does not delete them by age
    const stamped = uniqueTopicName('pipe-stamped');
    const admin = kafka.admin();
    await admin.connect();
    await createTopicAndWait(admin, { topic: stamped, partitions: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] });
    const startMs = Date.now();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const backlog = events(0, 10, 1);
    await producer.send({ topic, acks: -1, messages: [...backlog.slice(0, 5).map((e) => ({ value: eventJson(e) })), { value: 'not json' }, ...backlog.slice(5).map((e) => ({ value: eventJson(e) }))] });
    const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    // 11 records of backlog (one bad) + 10 live = offsets 0..20
    const p = await from(ev).filter('v % 2 = 0').derive({ v2: 'v * 2' }).select('ts', 'g', 'v2').run({ kafka, until: { offsets: { 0: 21 } } });
    const sink = await p.sink(kafkaSink({ topic: out, key: 'g' }));
    const stampedSink = await p.sink(kafkaSink({ topic: stamped, eventTime: true }));
    const collected = p.collect();
    assert.match(p.explain(), /hand-off: backlog; live starts at 0:0\n {2}backlog read up to \(exclusive\) 0:11/);
    const live = events(10, 10, 1);
    await producer.send({ topic, acks: -1, messages: live.map((e) => ({ value: eventJson(e) })) });
    await producer.disconnect();
    const records = (await collected).sort(byV);
    await p.done;
    const expected = [...backlog, ...live].filter((e) => e.v % 2 === 0).map((e) => ({ ts: e.ts, g: e.g, v2: e.v * 2 }));
    assert.deepEqual(records, expected);
    assert.deepEqual(p.columns().map((c) => `${c.name} ${c.type}`), ['ts TIMESTAMP', 'g VARCHAR', 'v2 BIGINT']);
    const stats = p.stats();
    assert.equal(stats.deadLetters, 1);
    assert.equal(stats.events, 20);
    assert.equal(stats.records, 10);
    assert.equal(stats.phase, 'done');
    assert.deepEqual(stats.positions, { 0: 21 });
    assert.deepEqual((await p.deadLetters()).map((d) => [d.offset, d.reason, d.value]), [[5, 'malformed JSON', 'not json']]);

    assert.equal((await sink.done).messages, 10);
    const written = await readTopic(kafka, out);
    assert.deepEqual(written.map((r) => JSON.parse(r.value!) as PipelineRecord).sort(byV), expected);
    assert.ok(written.every((r) => r.key === (JSON.parse(r.value!) as { g: string }).g), 'keyed by column g');
    assert.ok(written.every((r) => r.timestampMs >= startMs), 'stamped when written');
    await stampedSink.done;
    const withEventTime = await readTopic(kafka, stamped);
    assert.equal(withEventTime.length, 10);
    assert.ok(withEventTime.every((r) => r.key === null && r.timestampMs === (JSON.parse(r.value!) as { ts: number }).ts), 'eventTime: message time = event time');
    await admin.deleteTopics({ topics: [out, stamped] });
    await admin.disconnect();
    await p.close();
  });
});

test('an archive with offsets, then live after it, in SQL: into a table and Parquet files', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'pipe-archive' }, async (topic) => {
    const next = [0, 0];
    const first = events(0, 40, 2);
    const offsets = await produce(kafka, topic, first, next);
    const dir = tempDir();
    // the archive holds the first 30 (per-partition prefixes); 10 more are in the topic only
    await writeArchive(join(dir, 'archive.parquet'), first.slice(0, 30), offsets.slice(0, 30));
    const ev = source({ name: 'ev', time: 'ts', history: { parquet: join(dir, 'archive.parquet') }, live: { topic } });
    const db = await DuckDBInstance.create(':memory:');
    const p = await pipeline(`SELECT ts, g, v, round(x * 10) AS x10 FROM ev WHERE g <> 'c'`, { sources: { ev }, kafka, duckdb: db, until: { offsets: { 0: 30, 1: 30 } } });
    const table = p.sink(tableSink({ table: 'kept' }));
    const parts = p.sink(parquetSink({ dir: join(dir, 'out'), rowsPerFile: 7 }));
    const collected = p.collect();
    await produce(kafka, topic, events(40, 20, 2), next);
    const records = (await collected).sort(byV);
    const all = events(0, 60, 2).filter((e) => e.g !== 'c');
    assert.deepEqual(records, all.map((e) => ({ ts: e.ts, g: e.g, v: e.v, x10: Math.round(e.x * 10) })));
    assert.match(p.explain(), /hand-off: archive; live starts at 0:15 1:15/);
    assert.equal((await (await table).done).rows, records.length);
    const pstats = await (await parts).done;
    assert.ok(pstats.files >= 2, `${pstats.files} Parquet parts`);
    const c = await db.connect();
    const fromTable = await c.runAndReadAll(`SELECT epoch_ms(ts) AS ts, g, v, x10 FROM kept ORDER BY v`);
    assert.deepEqual(fromTable.getRowObjectsJS().map((r) => ({ ts: Number(r.ts), g: r.g, v: Number(r.v), x10: r.x10 })), records);
    const fromFiles = await c.runAndReadAll(`SELECT epoch_ms(ts) AS ts, g, v, x10 FROM read_parquet('${join(dir, 'out')}/*.parquet') ORDER BY v`);
    assert.deepEqual(fromFiles.getRowObjectsJS().map((r) => ({ ts: Number(r.ts), g: r.g, v: Number(r.v), x10: r.x10 })), records);
    c.closeSync();
    await p.close();
    db.closeSync();
  });
});

test('history without offsets, then live by time: events the topic repeats from history are skipped as overlap', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'pipe-time' }, async (topic) => {
    const next = [0, 0];
    const first = events(0, 40, 2);
    const offsets = await produce(kafka, topic, first, next);
    const dir = tempDir();
    await writeArchive(join(dir, 'archive.parquet'), first.slice(0, 30), offsets.slice(0, 30));
    // the same 30 events as plain history (no _partition, _offset): the hand-off goes by event time
    const ev = source({ name: 'ev', time: 'ts', history: { query: `SELECT ts, g, v, x FROM read_parquet('${join(dir, 'archive.parquet')}')` }, live: { topic } });
    const p = await from(ev).select('ts', 'v').run({ kafka, until: { offsets: { 0: 30, 1: 30 } } });
    const collected = p.collect();
    await produce(kafka, topic, events(40, 20, 2), next);
    const records = (await collected).sort(byV);
    assert.deepEqual(records, events(0, 60, 2).map((e) => ({ ts: e.ts, v: e.v })));
    assert.match(p.explain(), /hand-off: time; live starts at 0:0 1:0\n {2}history up to 2024-01-01T00:00:29.000Z/);
    assert.equal(p.stats().overlap, 30);
    await p.close();
  });
});

test('bounded pipelines end: caught up, a duration, files only; what a pipeline cannot run is a clear error', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'pipe-bounded' }, async (topic) => {
    await produce(kafka, topic, events(0, 30, 2), [0, 0]);
    const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    const caught = await from(ev).run({ kafka, until: 'caughtUp' });
    assert.equal((await caught.collect()).length, 30);
    assert.deepEqual(caught.stats().positions, { 0: 15, 1: 15 });
    await caught.close();

    const timed = await from(ev).filter("g = 'a'").run({ kafka, until: { duration: '1 second' } });
    assert.equal((await timed.collect()).length, 10);
    await timed.done;
    await timed.close();

    const dir = tempDir();
    await writeArchive(join(dir, 'a.parquet'), events(0, 12, 1), events(0, 12, 1).map((_, i) => i));
    const files = source({ name: 'files', time: 'ts', history: { parquet: join(dir, 'a.parquet') } });
    const batches = [];
    const p = await pipeline('SELECT * EXCLUDE (_partition, _offset) FROM files WHERE v < 5', { sources: [files] });
    for await (const b of p.batches()) batches.push(b);
    assert.equal(batches.reduce((n, b) => n + b.numRows, 0), 5);
    await p.close();

    await assert.rejects(runPipeline(from(ev).window(tumble('ts', '1 minute')).aggregate({ n: 'count(*)' }), { kafka }), (e: unknown) => isWindowpaneError(e) && e.message === messages.pipelineStateful('a "aggregate" step'));
    await assert.rejects(from(ev).run({ kafka, until: { finalWindows: 2 } }), (e: unknown) => isWindowpaneError(e) && e.message === messages.pipelineUntil('finalWindows'));
    await assert.rejects(pipeline('SELECT * FROM elsewhere', { sources: [ev], kafka }), (e: unknown) => isWindowpaneError(e) && e.code === 'pipeline-no-source');
    await assert.rejects(pipeline(`SELECT window_start, count(*) FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: [ev], kafka }), (e: unknown) => isWindowpaneError(e) && e.code === 'pipeline-window-call');
    await assert.rejects(pipeline('SELECT vv FROM ev', { sources: [ev], kafka }), (e: unknown) => isWindowpaneError(e) && e.code === 'sql-invalid' && /did you mean "v"\?/.test(e.message));
  });
});
