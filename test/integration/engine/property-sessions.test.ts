/**
 * Session windows live, with many keys over many micro-batches (real broker). The engine keeps each
 * key's sessions between batches and merges a batch's events into them (exec/sessionState.ts), so it
 * recomputes only the sessions a batch changed or closed: the final rows must still equal a batch
 * answer whose sessions are found by a plain per-key scan (windowAnswers.ts) over the events that
 * were not too late — with sessions growing at either end, merging when an event bridges two, late
 * events within the allowed lateness revising closed ones, and events beyond it kept apart. In mode
 * 'updates' the changelog, folded, must be exactly the final table: every row of a session that grew
 * or was absorbed was retracted. In mode 'final' each session's row is emitted once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Kafka } from 'kafkajs';
import { source, sql, type ChangelogRow } from '../../../src/index.js';
import { deleteTopic, testKafka } from '../../helpers/kafka.js';
import { BASE, diffResults, produce, splitAtHandOff, tempDir, type TestEvent } from './events.js';
import { foldChangelog, windowAnswer } from './windowAnswers.js';

const AGGS = 'count(*) AS n, sum(v) AS sv, min(v) AS mn, max(v) AS mx';
const COLUMNS = ['n', 'sv', 'mn', 'mx'];
const MIN = 60_000;
const BOUND_MS = 4 * MIN;

interface Step {
  readonly p: number;
  readonly advance: number;
  readonly back: number;
  readonly key: number;
  readonly v: number;
}

interface Case {
  readonly partitions: number;
  readonly steps: readonly Step[];
  readonly split: readonly number[];
  readonly history: 'backlog' | 'archive';
  readonly emit: 'final' | 'updates';
  readonly gap: number;
  readonly lateness: number;
  /** Events per send to the topic; each send is taken by the query before the next (a micro-batch or a few). */
  readonly sends: readonly number[];
}

/** Per-partition event times advancing by up to a few minutes, sometimes falling back up to 3 bounds (late data). */
function events(c: Case): TestEvent[] {
  const max = new Array<number>(c.partitions).fill(BASE);
  return c.steps.map((s) => {
    const p = s.p % c.partitions;
    const ts = max[p]! + s.advance - s.back;
    max[p] = Math.max(max[p]!, ts);
    return { partition: p, ts, g: `k${s.key}`, v: s.v, x: 0 };
  });
}

async function check(kafka: Kafka, dir: string, n: number, c: Case): Promise<{ retracted: number; revised: number; late: number }> {
  const { topic, history, live, offsets, historyInput, next, until } = await splitAtHandOff(kafka, { dir, n, prefix: 'props', events: events(c), partitions: c.partitions, split: c.split, history: c.history });
  const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
  const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history: historyInput, live: { topic }, schema });
  const q = await sql(`SELECT window_start, window_end, g, ${AGGS} FROM SESSION(ev PARTITION BY g, ts, '${c.gap} minutes') GROUP BY ALL`, {
    sources: [ev], kafka, emit: c.emit, updateInterval: 0, allowedLateness: c.lateness,
    until, flush: true,
  });
  const changes: ChangelogRow[] = [];
  const following = (async () => {
    for await (const row of q.changes()) changes.push(row);
  })();
  try {
    let at = 0;
    for (let i = 0; at < live.length; i++) {
      const size = c.sends[i % c.sends.length]!;
      await produce(kafka, topic, live.slice(at, at + size), next);
      at += size;
      await q.processedUpTo(Object.fromEntries(next.map((o, p) => [p, o])));
    }
    const rows = await q.collect();
    await following;
    const what = `(history ${history.length}, live ${live.length}, ${c.history}, ${c.emit}, gap ${c.gap}, lateness ${c.lateness})`;
    // 1. the final rows: the batch answer over the events that were not too late
    const late = await q.lateEvents();
    const lateIds = new Set(late.map((l) => `${Number(l._partition)}:${Number(l._offset)}`));
    const ordered = [...history, ...live];
    const kept = ordered.map((e, i) => !lateIds.has(`${e.partition}:${offsets[i]}`));
    const expected = await windowAnswer(ordered.filter((_, i) => kept[i]), offsets.filter((_, i) => kept[i]), { kind: 'session', gap: c.gap }, AGGS);
    assert.equal(diffResults(rows.map((x) => ({ ...x, kind: 'final' })), expected, COLUMNS), undefined, what);
    const stats = q.stats();
    assert.equal(stats.late, late.length, `every late event is kept in the late-events table ${what}`);
    // 2. the changelog folds into exactly the final table
    const folded = foldChangelog(changes);
    assert.deepEqual([...folded.keys()].sort(), rows.map((r) => r.key).sort(), `changelog fold ${what}`);
    for (const r of rows) assert.deepEqual(folded.get(r.key)!.values, r.values, `the last change of ${r.key} ${what}`);
    if (c.emit === 'final') {
      assert.ok(changes.every((x) => x.kind === 'final'), 'mode final emits final rows only');
      assert.equal(changes.length, rows.length, `mode final emits each session once ${what}`);
    }
    if (c.lateness === 0) assert.equal(stats.revised, 0, 'no revisions without an allowed lateness');
    return { retracted: changes.filter((x) => x.kind === 'retract').length, revised: stats.revised, late: late.length };
  } finally {
    await q.close();
    await deleteTopic(kafka, topic);
  }
}

test('sessions of many keys over many micro-batches: merges, late data and revisions equal the batch answer; the changelog folds into it', { timeout: 900_000 }, async () => {
  const kafka = testKafka();
  const dir = tempDir();
  let n = 0;
  const seen = { retracted: 0, revised: 0, late: 0 };
  const scenario = fc
    .record({
      partitions: fc.integer({ min: 1, max: 3 }),
      keys: fc.integer({ min: 4, max: 40 }),
      split: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }),
      history: fc.constantFrom('backlog' as const, 'archive' as const),
      emit: fc.constantFrom('final' as const, 'updates' as const),
      gap: fc.constantFrom(2, 5),
      lateness: fc.constantFrom(0, BOUND_MS, 3 * BOUND_MS),
      sends: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
      raw: fc.array(
        fc.record({
          p: fc.nat(7),
          advance: fc.integer({ min: 0, max: 3 * MIN }),
          // mostly within the bound; one in eight up to 3 bounds back (late, or within a lateness)
          back: fc.oneof({ weight: 7, arbitrary: fc.integer({ min: 0, max: BOUND_MS }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 * BOUND_MS }) }),
          key: fc.nat(1000),
          v: fc.integer({ min: -1000, max: 1000 }),
        }),
        { minLength: 20, maxLength: 160 },
      ),
    })
    .map(({ keys, raw, ...rest }) => ({ ...rest, steps: raw.map((s) => ({ ...s, key: s.key % keys })) }));
  await fc.assert(
    fc.asyncProperty(scenario, async (c) => {
      n++;
      const r = await check(kafka, dir, n, c);
      seen.retracted += r.retracted;
      seen.revised += r.revised;
      seen.late += r.late;
    }),
    { seed: 7, numRuns: 25, endOnFailure: true },
  );
  // the runs exercised what they are about
  assert.ok(seen.retracted > 0 && seen.revised > 0 && seen.late > 0, `retractions ${seen.retracted}, revisions ${seen.revised}, late events ${seen.late}`);
});
