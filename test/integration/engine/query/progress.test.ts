/**
 * Query.progress() on the real broker: the phases in order (history, hand-off, live, done), the
 * backlog's rows and bytes, and the lag behind the topic's end falling to zero once the query has
 * taken what the topic holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { source, sql, topicEnds, type ProgressPhase, type QueryProgress } from '../../../../src/index.js';
import { testKafka, withTopic } from '../../../helpers/kafka.js';
import { BASE, produce, type TestEvent } from '../events.js';

const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const ORDER: readonly ProgressPhase[] = ['starting', 'history', 'handoff', 'live', 'done'];
const minutes = (n: number, partitions: number, from = 0): TestEvent[] =>
  Array.from({ length: n }, (_, i) => ({ partition: i % partitions, ts: BASE + (from + i) * 60_000, g: 'a', v: i + from, x: 0.5 }));

/** Samples progress() on every turn of the event loop until stopped. */
function sampler(read: () => QueryProgress): { samples: QueryProgress[]; stop: () => void } {
  const samples: QueryProgress[] = [];
  const timer = setInterval(() => samples.push(read()), 1);
  return { samples, stop: () => clearInterval(timer) };
}

function assertInOrder(samples: readonly QueryProgress[]): void {
  const ranks = samples.map((s) => ORDER.indexOf(s.phase));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `phases never go back: ${[...new Set(samples.map((s) => s.phase))].join(' → ')}`);
}

test('a backlog history: its rows and bytes by offsets, then live with the lag falling to zero', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 2, prefix: 'progress' }, async (topic) => {
    const next = [0, 0];
    await produce(kafka, topic, minutes(400, 2), next);
    const ev = source({ name: 'ev', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema });
    const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka });
    const s = sampler(() => q.progress());
    try {
      await q.processedUpTo(await topicEnds(topic, kafka));
      await produce(kafka, topic, minutes(100, 2, 400), next);
      await q.processedUpTo({ 0: next[0]!, 1: next[1]! });
      const now = q.progress();
      assert.equal(now.phase, 'live');
      assert.equal(now.topic?.lag, 0, 'nothing left on the topic');
      assert.equal(now.topic?.position, 500);
      assert.equal(now.events, 500);
      assert.deepEqual(now.topic?.topics, [topic]);
      assert.ok(now.watermark !== null && now.watermark >= BASE + 490 * 60_000);
      const history = s.samples.filter((p) => p.phase === 'history' && p.history);
      for (const p of history) {
        assert.equal(p.history?.totalRows, 400, 'the backlog is what the topic held at start');
        assert.ok(p.history.rows <= 400 && (p.history.fraction ?? 0) <= 1);
      }
      const last = history.at(-1)?.history;
      if (last && last.rows > 0) assert.ok((last.bytes ?? 0) > 0, 'bytes are counted with the rows');
    } finally {
      s.stop();
      await q.close();
    }
    const done = q.progress();
    assert.equal(done.phase, 'done');
    assertInOrder([...s.samples, done]);
  });
});

test('live from the earliest offset: the hand-off works off what the topic holds, then live', async () => {
  const kafka = testKafka();
  await withTopic({ partitions: 1, prefix: 'progress-handoff' }, async (topic) => {
    const next = [0];
    await produce(kafka, topic, minutes(300, 1, 1000), next);
    const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema });
    const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '10 minutes') GROUP BY ALL`, { sources: [ev], kafka });
    const first = q.progress();
    assert.equal(first.topic?.lag, 300, 'at start the whole topic is ahead of the run');
    const s = sampler(() => q.progress());
    try {
      await q.processedUpTo({ 0: 300 });
      const now = q.progress();
      assert.equal(now.phase, 'live');
      assert.equal(now.topic?.lag, 0);
      assert.ok(s.samples.some((p) => p.phase === 'handoff' || p.phase === 'live'));
      for (const p of s.samples.filter((x) => x.phase === 'handoff')) assert.ok((p.topic?.lag ?? 0) > 0, 'the hand-off is over once nothing is left');
    } finally {
      s.stop();
      await q.close();
    }
    assertInOrder(s.samples);
  });
});

test('Parquet history: DuckDB reports the fraction and rows read, the bytes come from the file size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-progress-'));
  const file = join(dir, 'events.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`COPY (SELECT TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts, 'g' || (i % 50) AS g, i AS v, random() AS x FROM range(3000000) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.closeSync();
  db.closeSync();
  try {
    const ev = source({ name: 'ev', time: 'ts', history: { parquet: file } });
    const q = await sql(`SELECT window_start, g, count(*) AS n, avg(x) AS ax FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: [ev] });
    const s = sampler(() => q.progress());
    await q.done.finally(() => s.stop());
    const read = s.samples.filter((p) => p.history?.fraction !== undefined);
    assert.ok(read.length > 0, `DuckDB's progress was read while the history query ran (${s.samples.length} samples)`);
    for (const p of read) {
      assert.equal(p.phase, 'history');
      assert.ok(p.history!.fraction! >= 0 && p.history!.fraction! <= 1);
      assert.ok(p.history!.rows >= 0 && p.history!.rows <= (p.history!.totalRows ?? Infinity));
      if (p.history!.totalBytes !== undefined) assert.equal(p.history!.totalBytes, statSync(file).size);
    }
    assert.equal(q.progress().phase, 'done');
    assert.equal(q.progress().topic, undefined, 'no live topic, no lag');
    assertInOrder(s.samples);
    await q.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
