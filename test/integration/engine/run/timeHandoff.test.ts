/**
 * The time hand-off on the real broker: history files without offsets, a topic whose record
 * timestamps are event times. Live events at or before the boundary are overlap (counted, kept,
 * never counted twice); a late first live event or records lost to retention are reported as gaps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { source, sql } from '../../../../src/index.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, batchAnswer, diffResults, tempDir, type TestEvent } from '../events.js';
import { produceTimed, readFrom, seekOffsets, writePlain } from '../timed.js';

const AGGS = 'count(*) AS n, sum(v) AS sv, avg(x) AS ax';
const COLS = ['n', 'sv', 'ax'];
const QUERY = `SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '15 minutes') GROUP BY ALL`;
const SCHEMA = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const dir = tempDir();

function seeded(n: number, partitions = 2, startMs = BASE): TestEvent[] {
  let s = 11;
  const rnd = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: n }, (_, i) => ({ partition: i % partitions, ts: startMs + i * 45_000 + Math.floor(rnd() * 30_000), g: ['a', 'b', 'c'][i % 3]!, v: Math.floor(rnd() * 100), x: rnd() * 10 }));
}

test('history without offsets hands off by time: overlap is counted and kept, results equal the batch answer', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'time-overlap' }, async (topic) => {
    const all = seeded(300);
    const boundary = all[199]!.ts;
    const history = all.filter((e) => e.ts <= boundary);
    const path = join(dir, 'overlap.parquet');
    await writePlain(path, history);
    // the topic holds the whole stream, plus one out-of-order record from before the boundary
    const stray: TestEvent = { partition: 0, ts: boundary - 10 * 60_000, g: 'a', v: 1000, x: 1 };
    const topicEvents = [...all, stray];
    await produceTimed(kafka, topic, topicEvents);
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { parquet: path }, live: { topic }, schema: SCHEMA });
    const q = await sql(QUERY, { sources: [ev], kafka, until: 'caughtUp' });
    const rows = await q.collect();
    const seek = seekOffsets(topicEvents, 2, boundary - 60_000);
    const read = readFrom(topicEvents, seek);
    const overlap = read.filter((e) => e.ts <= boundary);
    const fresh = read.filter((e) => e.ts > boundary);
    const stats = q.stats();
    assert.ok(overlap.length > 1 && overlap.includes(stray));
    assert.equal(stats.overlap, overlap.length);
    assert.equal(stats.events, history.length + fresh.length);
    assert.equal((await q.overlapEvents()).length, overlap.length);
    assert.deepEqual(stats.handoff && { kind: stats.handoff.kind, boundary: stats.handoff.boundary, start: stats.handoff.start, gaps: stats.handoff.gaps }, {
      kind: 'time', boundary: new Date(boundary).toISOString(), start: { 0: seek[0], 1: seek[1] }, gaps: [],
    });
    assert.match(q.explain(), new RegExp(`hand-off: time; live starts at 0:${seek[0]} 1:${seek[1]}\\n  boundary ${new Date(boundary).toISOString()} .* overlap ${overlap.length} events; no gap seen`));
    await q.close();
    // history ∪ the live events after the boundary: the stray record is not counted
    assert.equal(diffResults(rows, await batchAnswer([...history, ...fresh], 900_000, 900_000, AGGS), COLS, ['ax']), undefined);
  });
});

test('a first live event far after the end of history is reported as a gap', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'time-gap' }, async (topic) => {
    const history = seeded(100);
    const boundary = Math.max(...history.map((e) => e.ts));
    const later = seeded(40, 2, boundary + 3 * 3_600_000);
    const path = join(dir, 'gap.parquet');
    await writePlain(path, history);
    await produceTimed(kafka, topic, later);
    const warnings: string[] = [];
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { parquet: path }, live: { topic }, schema: SCHEMA });
    const q = await sql(QUERY, { sources: [ev], kafka, until: 'caughtUp', onWarning: (m) => warnings.push(m) });
    const rows = await q.collect();
    const gaps = q.stats().handoff?.gaps ?? [];
    assert.deepEqual(gaps.map((g) => [g.kind, g.partition]).sort(), [['time', 0], ['time', 1]]);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /hand-off gap in source ev: the first live event of topic "time-gap-\w+" partition \d is at 2024-01-01T04:1\d.*, 3(\.\d)? hours after the end of history/);
    assert.equal(q.stats().overlap, 0);
    assert.match(q.explain(), /2 gap\(s\)\n {2}gap: hand-off gap/);
    await q.close();
    assert.equal(diffResults(rows, await batchAnswer([...history, ...later], 900_000, 900_000, AGGS), COLS, ['ax']), undefined);
  });
});

test('records deleted by retention after the boundary are reported as a gap', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'time-retention' }, async (topic) => {
    const all = seeded(200);
    const boundary = all[99]!.ts;
    const history = all.filter((e) => e.ts <= boundary);
    const path = join(dir, 'retention.parquet');
    await writePlain(path, history);
    await produceTimed(kafka, topic, all);
    // retention took everything up to 20 minutes after the boundary
    const cut = seekOffsets(all, 2, boundary + 20 * 60_000);
    const admin = kafka.admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: cut.map((offset, partition) => ({ partition, offset: String(offset) })) });
    await admin.disconnect();
    const warnings: string[] = [];
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { parquet: path }, live: { topic, handoff: { maxGap: '1 hour' } }, schema: SCHEMA });
    const q = await sql(QUERY, { sources: [ev], kafka, until: 'caughtUp', onWarning: (m) => warnings.push(m) });
    const rows = await q.collect();
    const gaps = q.stats().handoff?.gaps ?? [];
    assert.deepEqual(gaps.map((g) => (g.kind === 'retention' ? [g.partition, g.earliestOffset] : [])).sort(), [[0, cut[0]], [1, cut[1]]]);
    assert.match(warnings.join('\n'), new RegExp(`partition 0 no longer holds records before offset ${cut[0]} \\(deleted by retention\\)`));
    await q.close();
    const retained = readFrom(all, cut);
    assert.equal(diffResults(rows, await batchAnswer([...history, ...retained], 900_000, 900_000, AGGS), COLS, ['ax']), undefined);
  });
});

test('startAt { timestamp }: with history it is the boundary; live-only it seeks by record time', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'time-startat' }, async (topic) => {
    const all = seeded(120);
    await produceTimed(kafka, topic, all);
    const at = all[60]!.ts;
    const liveOnly = source({ name: 'ev', time: 'ts', live: { topic, startAt: { timestamp: new Date(at).toISOString() } }, schema: SCHEMA });
    const q = await sql(QUERY, { sources: [liveOnly], kafka, until: 'caughtUp' });
    const rows = await q.collect();
    const seek = seekOffsets(all, 2, at);
    assert.equal(q.stats().handoff?.kind, 'timestamp');
    assert.equal(q.stats().events, readFrom(all, seek).length);
    await q.close();
    assert.equal(diffResults(rows, await batchAnswer(readFrom(all, seek), 900_000, 900_000, AGGS), COLS, ['ax']), undefined);

    // history reaches further than the boundary given: events after it come from live only
    const path = join(dir, 'startat.parquet');
    const history = all.filter((e) => e.ts <= at);
    await writePlain(path, history);
    const withHistory = source({ name: 'ev', time: 'ts', history: { parquet: path }, live: { topic, startAt: { timestamp: at } }, schema: SCHEMA });
    const q2 = await sql(QUERY, { sources: [withHistory], kafka, until: 'caughtUp' });
    const rows2 = await q2.collect();
    assert.equal(q2.stats().handoff?.kind, 'time');
    assert.equal(q2.stats().handoff?.boundary, new Date(at).toISOString());
    await q2.close();
    assert.equal(diffResults(rows2, await batchAnswer(all, 900_000, 900_000, AGGS), COLS, ['ax']), undefined);
  });
});
