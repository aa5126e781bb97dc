/**
 * The promise, checked: for random events split anywhere between history and live (per partition),
 * arriving out of order within the declared bound, the final results of a bounded run with flush
 * equal a plain DuckDB GROUP BY over all the events. Real broker; history is the topic's backlog or
 * a Parquet archive with partition and offset columns; tumbling and hopping windows; both emit modes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { source, sql } from '../../../src/index.js';
import { deleteTopic, testKafka } from '../../helpers/kafka.js';
import { batchAnswer, diffResults, eventStep, makeEvents, produce, splitAtHandOff, tempDir } from './events.js';

const AGGS = 'count(*) AS n, sum(v) AS sv, min(v) AS mn, max(v) AS mx, avg(x) AS ax, sum(x) AS sx';
const COLUMNS = ['n', 'sv', 'mn', 'mx', 'ax', 'sx'];
const FLOATS = ['ax', 'sx'];
const BOUND_MS = 4 * 60_000;

const step = eventStep(BOUND_MS);

const scenario = fc.record({
  partitions: fc.integer({ min: 1, max: 4 }),
  steps: fc.array(step, { minLength: 0, maxLength: 120, size: 'max' }),
  split: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
  history: fc.constantFrom('backlog' as const, 'archive' as const),
  emit: fc.constantFrom('final' as const, 'updates' as const),
  window: fc.constantFrom({ kind: 'tumble' as const, size: 10, slide: 10 }, { kind: 'hop' as const, size: 30, slide: 10 }, { kind: 'tumble' as const, size: 60, slide: 60 }),
});

test('final results equal a DuckDB GROUP BY over all events, for any split and bounded disorder', { timeout: 600_000 }, async () => {
  const kafka = testKafka();
  const dir = tempDir();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      run++;
      const events = makeEvents(s.steps, s.partitions, BOUND_MS);
      // each partition's sequence split at its own random index
      const { topic, history, live, historyInput, next, until } = await splitAtHandOff(kafka, { dir, n: run, prefix: 'prop', events, partitions: s.partitions, split: s.split, history: s.history });
      const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
      const events_ = source({ name: 'ev', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history: historyInput, live: { topic }, schema });
      const win = s.window.kind === 'tumble' ? `TUMBLE(ev, ts, '${s.window.size} minutes')` : `HOP(ev, ts, '${s.window.slide} minutes', '${s.window.size} minutes')`;
      const q = await sql(`SELECT window_start, g, ${AGGS} FROM ${win} GROUP BY window_start, g`, {
        sources: [events_], kafka, emit: s.emit, updateInterval: 0, until, flush: true,
      });
      try {
        // the live part arrives after the query started: it crosses the hand-off
        // in small sends, so the live phase sees many micro-batches and closes windows between them
        for (let i = 0; i < live.length; i += 5) await produce(kafka, topic, live.slice(i, i + 5), next);
        const rows = await q.collect();
        const expected = await batchAnswer(events, s.window.size * 60_000, s.window.slide * 60_000, AGGS);
        const diff = diffResults(rows, expected, COLUMNS, FLOATS);
        assert.equal(diff, undefined, `${diff} (history ${history.length}, live ${live.length}, ${s.history}, ${s.window.kind})`);
        assert.equal(q.stats().events, events.length);
        assert.equal(q.stats().late, 0);
      } finally {
        await q.close();
        await deleteTopic(kafka, topic);
      }
    }),
    { seed: 42, numRuns: 60, endOnFailure: true },
  );
});
