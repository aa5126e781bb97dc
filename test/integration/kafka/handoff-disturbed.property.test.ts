/**
 * The exact-offset hand-off over 3 partitions, disturbed in the middle of the live phase: a consumer
 * group on the same topic rebalances (a second member joins it), a second query's reader joins the
 * topic, and every connection of the readers is dropped (as a broker closing them would). The
 * readers hold no group membership and keep their own offsets, so neither disturbance may cost a
 * record or repeat one: every event is counted once and the final results equal a DuckDB GROUP BY
 * over all events, for both queries. Real broker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Consumer, Kafka } from 'kafkajs';
import { source, sql, type Query } from '../../../src/index.js';
import { dropReaderConnections } from '../../../src/kafka/fetchClient.js';
import { createTopic, testKafka } from '../../helpers/kafka.js';
import { batchAnswer, diffResults, makeEvents, produce } from '../engine/events.js';

const AGGS = 'count(*) AS n, sum(v) AS sv';
const BOUND_MS = 60_000;
const PARTITIONS = 3;

const step = fc.record({ p: fc.nat(5), advance: fc.integer({ min: 0, max: 90_000 }), back: fc.integer({ min: 0, max: BOUND_MS }), g: fc.nat(2), v: fc.integer({ min: -1000, max: 1000 }), x: fc.constant(0) });
const scenario = fc.record({
  steps: fc.array(step, { minLength: 10, maxLength: 90, size: 'max' }),
  split: fc.array(fc.integer({ min: 0, max: 80 }), { minLength: PARTITIONS, maxLength: PARTITIONS }),
  /** Where in the live phase the disturbance comes, as a share of its sends. */
  at: fc.integer({ min: 10, max: 90 }),
});

/** A consumer in group `group` reading the topic; resolves once it has joined (a rebalance). */
async function groupMember(kafka: Kafka, topic: string, group: string): Promise<Consumer> {
  const c = kafka.consumer({ groupId: group, sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 500 });
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  const joined = new Promise<void>((resolve) => c.on(c.events.GROUP_JOIN, () => resolve()));
  await c.run({ eachBatch: () => Promise.resolve() });
  await joined;
  return c;
}

test('no gap and no duplicate across the hand-off when a group rebalances, a second reader joins and connections drop mid-run', { timeout: 600_000 }, async () => {
  const kafka = testKafka();
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      const events = makeEvents(s.steps, PARTITIONS, BOUND_MS);
      const byPartition = Array.from({ length: PARTITIONS }, (_, p) => events.filter((e) => e.partition === p));
      const cut = byPartition.map((list, p) => Math.floor((list.length * s.split[p]!) / 100));
      const history = byPartition.flatMap((list, p) => list.slice(0, cut[p]));
      const live = byPartition.flatMap((list, p) => list.slice(cut[p]));
      const topic = await createTopic({ kafka, partitions: PARTITIONS, prefix: 'disturbed' });
      const next = new Array<number>(PARTITIONS).fill(0);
      await produce(kafka, topic, history, next);
      const total = [...next];
      for (const e of live) total[e.partition]!++;
      const ends = Object.fromEntries(total.map((o, p) => [p, o]));
      const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: BOUND_MS, idleTimeout: '10 minutes', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } });
      const text = `SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '5 minutes') GROUP BY window_start, g`;
      const queries: Query[] = [];
      const members: Consumer[] = [];
      try {
        queries.push(await sql(text, { sources: [ev], kafka, emit: 'updates', updateInterval: 0, until: { offsets: ends }, flush: true }));
        const sends = Math.ceil(live.length / 4);
        const disturbAt = Math.floor((sends * s.at) / 100);
        for (let i = 0; i < sends; i++) {
          if (i === disturbAt) {
            // 1. a consumer group on the topic rebalances: a first member, then a second joins
            const group = `disturb-${randomBytes(4).toString('hex')}`;
            members.push(await groupMember(kafka, topic, group));
            members.push(await groupMember(kafka, topic, group));
            // 2. a second reader joins the topic: a second query, from the start of the backlog
            queries.push(await sql(text, { sources: [ev], kafka, emit: 'final', until: { offsets: ends }, flush: true }));
            // 3. the readers' connections drop; they reconnect by themselves
            assert.ok(dropReaderConnections() > 0, 'the readers had connections to drop');
          }
          await produce(kafka, topic, live.slice(i * 4, i * 4 + 4), next);
        }
        const expected = await batchAnswer(events, 5 * 60_000, 5 * 60_000, AGGS);
        for (const q of queries) {
          const rows = await q.collect();
          const diff = diffResults(rows, expected, ['n', 'sv']);
          assert.equal(diff, undefined, `${diff} (history ${history.length}, live ${live.length})`);
          assert.equal(q.stats().events, events.length);
          assert.deepEqual(q.stats().positions, ends);
        }
      } finally {
        for (const q of queries) await q.close();
        for (const m of members) await m.disconnect();
        const admin = kafka.admin();
        await admin.connect();
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
        await admin.disconnect();
      }
    }),
    { seed: 13, numRuns: 5, endOnFailure: true },
  );
});
