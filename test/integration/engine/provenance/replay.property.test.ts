/**
 * Replay from provenance, checked as a property on the real broker: for random events split between
 * history (the topic's backlog, an archive with offsets, or a plain file handed off by time) and
 * live, a run's provenance re-run after more records were appended gives the same final rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import fc from 'fast-check';
import { source, sql, type ChangelogRow } from '../../../../src/index.js';
import { createTopic, testKafka } from '../../../helpers/kafka.js';
import { batchAnswer, diffResults, eventStep, makeEvents, produce, tempDir, writeArchive, type TestEvent } from '../events.js';
import { produceTimed, writePlain } from '../timed.js';

const AGGS = 'count(*) AS n, sum(v) AS sv, min(v) AS mn, max(v) AS mx, avg(x) AS ax';
const COLUMNS = ['n', 'sv', 'mn', 'mx', 'ax'];
const BOUND_MS = 4 * 60_000;
const SCHEMA = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;

const step = eventStep(BOUND_MS);

const scenario = fc.record({
  partitions: fc.integer({ min: 1, max: 3 }),
  steps: fc.array(step, { minLength: 0, maxLength: 80, size: 'max' }),
  appended: fc.array(step, { minLength: 1, maxLength: 30 }),
  split: fc.integer({ min: 0, max: 100 }),
  history: fc.constantFrom('backlog' as const, 'archive' as const, 'time' as const),
  emit: fc.constantFrom('final' as const, 'updates' as const),
  window: fc.constantFrom({ kind: 'tumble' as const, size: 10, slide: 10 }, { kind: 'hop' as const, size: 30, slide: 10 }),
});

const keys = (rows: readonly ChangelogRow[]) => rows.map((r) => `${r.kind} ${r.key}`);
const asExpected = (rows: readonly ChangelogRow[]) => new Map(rows.map((r) => [r.key, { ...r.values }]));

test('replay from provenance reproduces the same final rows, even after more records were appended', { timeout: 600_000 }, async () => {
  const kafka = testKafka();
  const dir = tempDir();
  let n = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      n++;
      const events = makeEvents(s.steps, s.partitions, BOUND_MS);
      const topic = await createTopic({ kafka, partitions: s.partitions, prefix: 'replay-prop' });
      const next = new Array<number>(s.partitions).fill(0);
      let history: { kafkaBacklog: true } | { parquet: string };
      let live: TestEvent[];
      if (s.history === 'time') {
        // the file holds everything up to a boundary; the topic holds the whole stream
        const sorted = events.map((e) => e.ts).sort((a, b) => a - b);
        const boundary = sorted[Math.floor(((sorted.length - 1) * s.split) / 100)] ?? 0;
        const path = join(dir, `plain-${n}.parquet`);
        await writePlain(path, events.filter((e) => e.ts <= boundary));
        await produceTimed(kafka, topic, events);
        for (const e of events) next[e.partition]!++;
        history = { parquet: path };
        live = [];
      } else {
        const cut = Math.floor((events.length * s.split) / 100);
        const offsets = await produce(kafka, topic, events.slice(0, cut), next);
        live = events.slice(cut);
        history = { kafkaBacklog: true };
        if (s.history === 'archive') {
          const path = join(dir, `archive-${n}.parquet`);
          await writeArchive(path, events.slice(0, cut), offsets);
          history = { parquet: path };
        }
      }
      const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history, live: { topic }, schema: SCHEMA });
      const win = s.window.kind === 'tumble' ? `TUMBLE(ev, ts, '${s.window.size} minutes')` : `HOP(ev, ts, '${s.window.slide} minutes', '${s.window.size} minutes')`;
      const text = `SELECT window_start, g, ${AGGS} FROM ${win} GROUP BY window_start, g`;
      const total = [...next];
      for (const e of live) total[e.partition]!++;
      const q = await sql(text, { sources: [ev], kafka, emit: s.emit, updateInterval: 0, until: { offsets: Object.fromEntries(total.map((o, p) => [p, o])) } });
      try {
        for (let i = 0; i < live.length; i += 5) await produce(kafka, topic, live.slice(i, i + 5), next);
        const first = await q.collect();
        const provenance = JSON.parse(JSON.stringify(q.provenance())) as Parameters<typeof sql>[1]['replay'];
        assert.equal(diffResults(first, await batchAnswer(events, s.window.size * 60_000, s.window.slide * 60_000, AGGS), COLUMNS, ['ax']), undefined);
        // more records arrive after the run
        const more = makeEvents(s.appended, s.partitions, BOUND_MS).map((e) => ({ ...e, ts: e.ts + 3_600_000 * 24 }));
        if (s.history === 'time') await produceTimed(kafka, topic, more);
        else await produce(kafka, topic, more, next);
        const again = await sql(text, { sources: [ev], kafka, emit: s.emit, updateInterval: 0, replay: provenance });
        try {
          const second = await again.collect();
          // the same windows, integers exact; float sums may differ in the last bits (addition order follows batch arrival)
          assert.deepEqual(keys(second), keys(first), `${s.history}, ${s.window.kind}, ${s.emit}`);
          assert.equal(diffResults(second, asExpected(first), COLUMNS, ['ax']), undefined);
          assert.equal(again.stats().events, q.stats().events);
          assert.equal(again.stats().overlap, q.stats().overlap);
        } finally {
          await again.close();
        }
      } finally {
        await q.close();
        const admin = kafka.admin();
        await admin.connect();
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
        await admin.disconnect();
      }
    }),
    { seed: 42, numRuns: 30, endOnFailure: true },
  );
});
