/**
 * Fault 4: the producer's schema drifts mid-stream: a new field appears, then a number field turns
 * to strings, then to objects. Each change is one clear warning; every record is kept (as an event,
 * or in the dead-letter table with its reason when its value does not convert); the query stays
 * live and its windows equal the batch answer over the records that convert.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { source, sql } from '../../src/index.js';
import { messages } from '../../src/messages.js';
import { withTopic } from '../helpers/kafka.js';
import { recordFault } from './figures.js';

const BASE = Date.UTC(2024, 0, 1);
const PER_PHASE = 2000;

/** Phase k's record i: one a second; phase 1 adds "region", phase 2 sends v as a string, phase 3 as an object. */
function record(phase: number, i: number): { partition: number; value: string } {
  const n = phase * PER_PHASE + i;
  const base = { ts: BASE + n * 1000, g: `g${n % 3}` };
  const v = n % 100;
  const value = phase === 0 ? { ...base, v } : phase === 1 ? { ...base, v, region: n % 2 ? 'eu' : 'us' } : phase === 2 ? { ...base, v: String(v) } : { ...base, v: { amount: v } };
  return { partition: n % 2, value: JSON.stringify(value) };
}

test('schema drift mid-stream: one warning per change, every record kept, the query alive and right', { timeout: 300_000 }, async () => {
  await withTopic({ partitions: 2, prefix: 'fault-drift' }, async (topic, kafka) => {
    const warnings: string[] = [];
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '5 seconds', live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT' } });
    const q = await sql(`SELECT window_start, count(*) AS n, sum(v) AS sv FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: [ev], kafka, onWarning: (m) => warnings.push(m) });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const next = [0, 0];
    try {
      for (let phase = 0; phase < 4; phase++) {
        const records = Array.from({ length: PER_PHASE }, (_, i) => record(phase, i));
        await producer.send({ topic, acks: -1, messages: records });
        for (const r of records) next[r.partition]!++;
        await q.processedUpTo({ 0: next[0]!, 1: next[1]! });
        // alive after every change
        assert.equal(q.stats().phase, 'live');
      }
      const stats = q.stats();
      const total = 4 * PER_PHASE;
      assert.equal(stats.events + stats.deadLetters, total, 'every record kept: an event or a dead letter');
      assert.equal(stats.deadLetters, PER_PHASE, 'the objects do not convert to BIGINT');
      const dead = await q.deadLetters();
      assert.equal(dead.length, PER_PHASE);
      assert.ok(dead.every((d) => /^column v: expected BIGINT, got \{"amount":\d+\}$/.test(String(d.reason))), String(dead[0]?.reason));
      // the warnings: one per change, naming the field, the types and where it began
      assert.equal(warnings.length, 3, warnings.join('\n'));
      // (the first partition to deliver a phase's records names it: each phase starts at offset phase × 1000 in both)
      const either = (phase: number, text: (partition: number, offset: number) => string): string[] => [0, 1].map((p) => text(p, (phase * PER_PHASE) / 2));
      assert.ok(either(1, (p, o) => messages.driftNewField('ev', topic, 'region', p, o)).includes(warnings[0]!), warnings[0]);
      assert.ok(either(2, (p, o) => messages.driftTypeChanged('ev', topic, 'v', 'number', 'string', p, o, 'BIGINT')).includes(warnings[1]!), warnings[1]);
      assert.ok(either(3, (p, o) => messages.driftTypeChanged('ev', topic, 'v', 'string', 'object', p, o, 'BIGINT')).includes(warnings[2]!), warnings[2]);
      // the windows over the records that convert, once everything is closed
      await q.stop();
      const rows = q.snapshot();
      const expected = new Map<number, { n: number; sv: number }>();
      for (let phase = 0; phase < 3; phase++) {
        for (let i = 0; i < PER_PHASE; i++) {
          const n = phase * PER_PHASE + i;
          const ws = Math.floor((BASE + n * 1000) / 60_000) * 60_000;
          const e = expected.get(ws) ?? { n: 0, sv: 0 };
          expected.set(ws, { n: e.n + 1, sv: e.sv + (n % 100) });
        }
      }
      const finals = rows.filter((r) => r.kind === 'final');
      assert.ok(finals.length > 0);
      let lost = 0;
      let duplicated = 0;
      for (const r of finals) {
        const e = expected.get(r.windowStart);
        const d = Number(r.values.n) - (e?.n ?? 0);
        if (d > 0) duplicated += d;
        else lost -= d;
        if (d === 0) assert.equal(Number(r.values.sv), e?.sv);
      }
      assert.deepEqual({ lost, duplicated }, { lost: 0, duplicated: 0 });
      recordFault('schema-drift', {
        done: `${total} records in 4 phases of ${PER_PHASE}: as declared; with a new field "region"; with v (BIGINT) sent as strings of digits; with v sent as objects`,
        saw: 'three warnings, one per change: \'source "ev": records of topic … have a new field "region" (first at partition …, offset …) … the records are kept\', \'field "v" … changed from number to string …\' and \'… from string to object … values that convert are kept, the others go to the dead-letter table\'',
        lost,
        duplicated,
        recoveryMs: null,
        recovery: 'nothing to recover: the query stayed live through every change',
        details: { records: total, events: stats.events, deadLetters: stats.deadLetters, warnings: warnings.length, finalWindowsChecked: finals.length },
      });
    } finally {
      await producer.disconnect();
      await q.close();
    }
  });
});
