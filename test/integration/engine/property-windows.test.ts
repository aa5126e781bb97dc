/**
 * The promise of part 1 (property.test.ts), extended: session and cumulating windows, late data
 * beyond the declared bound with an allowed lateness below or above it, and enrichment with a table
 * (the interval join of two streams has its own, join/interval.property.test.ts). Real broker; events split
 * anywhere between history (backlog or archive) and live. The final rows equal a batch answer whose
 * windows are enumerated independently of the engine (windowAnswers.ts), minus exactly the
 * (event, window) pairs the engine reported as too late; in mode 'updates' the changelog, folded
 * (upserts and retractions), ends as that same table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import type { Kafka } from 'kafkajs';
import { source, sql, type ChangelogRow, type Query } from '../../../src/index.js';
import { deleteTopic, testKafka } from '../../helpers/kafka.js';
import { diffResults, eventStep, makeEvents, produce, splitAtHandOff, tempDir, type TestEvent } from './events.js';
import { foldChangelog, windowAnswer, windowCall, type Excluded, type WindowCase } from './windowAnswers.js';

const AGGS = 'count(*) AS n, sum(v) AS sv, min(v) AS mn, max(v) AS mx, avg(x) AS ax';
const COLUMNS = ['n', 'sv', 'mn', 'mx', 'ax'];
const BOUND_MS = 4 * 60_000;

interface Run {
  readonly kafka: Kafka;
  readonly dir: string;
  readonly n: number;
}

interface Case {
  readonly partitions: number;
  readonly events: readonly TestEvent[];
  readonly split: readonly number[];
  readonly history: 'backlog' | 'archive';
  readonly emit: 'final' | 'updates';
  readonly window: WindowCase;
  readonly lateness: number;
  /** Enrich with a profile table (g → segment, a left join) in the query's DuckDB instance, grouping by segment. */
  readonly profile?: Readonly<Record<string, string>>;
}

/** Runs the case through a real topic; checks the result against the batch answer. */
async function check(r: Run, c: Case): Promise<{ revised: number; late: number }> {
  const { topic, history, live, offsets, historyInput, next, until } = await splitAtHandOff(r.kafka, { dir: r.dir, n: r.n, prefix: 'propw', events: c.events, partitions: c.partitions, split: c.split, history: c.history });
  const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
  const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history: historyInput, live: { topic }, schema });
  let duckdb: DuckDBInstance | undefined;
  let text = `SELECT window_start, window_end, g, ${AGGS} FROM ${windowCall(c.window)} GROUP BY ALL`;
  if (c.profile) {
    duckdb = await DuckDBInstance.create(':memory:');
    const conn = await duckdb.connect();
    await conn.run('CREATE TABLE profiles (g VARCHAR PRIMARY KEY, segment VARCHAR)');
    for (const [g, segment] of Object.entries(c.profile)) await conn.run(`INSERT INTO profiles VALUES ('${g}', '${segment}')`);
    conn.closeSync();
    text = `SELECT window_start, window_end, p.segment AS g, ${AGGS} FROM ${windowCall(c.window)} t LEFT JOIN profiles p ON t.g = p.g GROUP BY ALL`;
  }
  const q: Query = await sql(text, {
    sources: [ev], kafka: r.kafka, emit: c.emit, updateInterval: 0, allowedLateness: c.lateness, ...(duckdb ? { duckdb } : {}),
    until, flush: true,
  });
  const changes: ChangelogRow[] = [];
  const following = (async () => {
    for await (const row of q.changes()) changes.push(row);
  })();
  try {
    // in small sends, each taken by the query before the next: many micro-batches, so events meet
    // windows that closed in earlier batches (late, revised) and sessions that merge
    for (let i = 0; i < live.length; i += 3) {
      await produce(r.kafka, topic, live.slice(i, i + 3), next);
      await q.processedUpTo(Object.fromEntries(next.map((o, p) => [p, o])));
    }
    const rows = await q.collect();
    await following;
    const late = await q.lateEvents();
    const excluded: Excluded[] = late.map((l) => [Number(l._partition), Number(l._offset), Number(l.window_start)]);
    const groupBy = c.profile ? { kind: 'profile' as const, segments: c.profile } : { kind: 'g' as const };
    const expected = await windowAnswer([...history, ...live], offsets, c.window, AGGS, c.window.kind === 'session' ? [] : excluded, groupBy);
    const what = `(history ${history.length}, live ${live.length}, ${c.history}, ${c.window.kind}, ${c.emit}, lateness ${c.lateness}, late ${late.length})`;
    if (c.window.kind === 'session' && late.length > 0) {
      // a too-late event is left out of its session entirely: compare against the events without it
      const lateIds = new Set(late.map((l) => `${Number(l._partition)}:${Number(l._offset)}`));
      const all = [...history, ...live];
      const keep = all.map((_, i) => !lateIds.has(`${all[i]!.partition}:${offsets[i]}`));
      const again = await windowAnswer(all.filter((_, i) => keep[i]), offsets.filter((_, i) => keep[i]), c.window, AGGS);
      assert.equal(diffResults(rows.map((x) => ({ ...x, kind: 'final' })), again, COLUMNS, ['ax']), undefined, what);
    } else {
      assert.equal(diffResults(rows.map((x) => ({ ...x, kind: 'final' })), expected, COLUMNS, ['ax']), undefined, what);
    }
    const stats = q.stats();
    assert.equal(stats.late, late.length, 'every late pair is kept in the late-events table');
    const counts = new Map((await q.lateCounts()).map((l) => [`${Number(l.window_start)}|${Number(l.window_end)}`, Number(l.late)]));
    for (const row of rows) if (c.window.kind !== 'session') assert.equal(row.late ?? 0, counts.get(`${row.windowStart}|${row.windowEnd}`) ?? 0, `the late count of ${row.key} is part of its row`);
    // the changelog, folded, is the result table (history rows first, then every change)
    const folded = [...foldChangelog(changes).values()].filter((x) => x.kind !== 'provisional');
    assert.deepEqual(folded.map((x) => x.key).sort(), rows.map((x) => x.key).sort(), `changelog fold ${what}`);
    if (c.emit === 'final') assert.ok(changes.every((x) => x.kind === 'final'), 'mode final emits final rows only');
    if (c.lateness === 0) assert.equal(stats.revised, 0, 'no revisions without an allowed lateness');
    return { revised: stats.revised, late: stats.late };
  } finally {
    await q.close();
    duckdb?.closeSync();
    await deleteTopic(r.kafka, topic);
  }
}

const base = {
  partitions: fc.integer({ min: 1, max: 3 }),
  split: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }),
  history: fc.constantFrom('backlog' as const, 'archive' as const),
  emit: fc.constantFrom('final' as const, 'updates' as const),
};

test('session and cumulating windows: final results equal the batch answer across the hand-off', { timeout: 900_000 }, async () => {
  const r = { kafka: testKafka(), dir: tempDir(), n: 0 };
  const scenario = fc.record({
    ...base,
    steps: fc.array(eventStep(BOUND_MS), { minLength: 0, maxLength: 80, size: 'max' }),
    window: fc.constantFrom<WindowCase>({ kind: 'session', gap: 5 }, { kind: 'session', gap: 2 }, { kind: 'cumulate', step: 10, size: 30 }, { kind: 'cumulate', step: 5, size: 60 }),
  });
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      r.n++;
      await check(r, { ...s, events: makeEvents(s.steps, s.partitions, BOUND_MS), lateness: 0 });
    }),
    { seed: 42, numRuns: 30, endOnFailure: true, verbose: 1 },
  );
});

test('late data beyond the bound: within the allowed lateness it revises, beyond it it is counted and kept', { timeout: 900_000 }, async () => {
  const r = { kafka: testKafka(), dir: tempDir(), n: 1000 };
  const scenario = fc.record({
    ...base,
    // events may fall up to 3 bounds behind: some are late, some within a lateness of one bound
    steps: fc.array(eventStep(3 * BOUND_MS), { minLength: 0, maxLength: 80, size: 'max' }),
    window: fc.constantFrom<WindowCase>({ kind: 'tumble', size: 10 }, { kind: 'hop', size: 30, slide: 10 }, { kind: 'cumulate', step: 10, size: 30 }, { kind: 'session', gap: 5 }),
    lateness: fc.constantFrom(0, BOUND_MS, 3 * BOUND_MS),
  });
  let revised = 0;
  let late = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      r.n++;
      const seen = await check(r, { ...s, events: makeEvents(s.steps, s.partitions, 3 * BOUND_MS) });
      revised += seen.revised;
      late += seen.late;
    }),
    { seed: 42, numRuns: 30, endOnFailure: true },
  );
  assert.ok(revised > 0 && late > 0, `the runs saw revisions (${revised}) and late events (${late})`);
});

test('enrichment with a table across the hand-off: grouped by a profile attribute, equal to the batch join', { timeout: 900_000 }, async () => {
  const r = { kafka: testKafka(), dir: tempDir(), n: 2000 };
  const scenario = fc.record({
    ...base,
    steps: fc.array(eventStep(BOUND_MS), { minLength: 0, maxLength: 80, size: 'max' }),
    window: fc.constantFrom<WindowCase>({ kind: 'tumble', size: 10 }, { kind: 'hop', size: 30, slide: 10 }, { kind: 'cumulate', step: 10, size: 30 }),
    // c may be missing from the table: its events keep a NULL segment (a left join)
    profile: fc.constantFrom<Record<string, string>>({ a: 'x', b: 'x', c: 'y' }, { a: 'x', b: 'y' }, { b: 'z' }),
  });
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      r.n++;
      await check(r, { ...s, events: makeEvents(s.steps, s.partitions, BOUND_MS), lateness: 0 });
    }),
    { seed: 42, numRuns: 20, endOnFailure: true },
  );
});
