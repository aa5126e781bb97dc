import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { session } from '../../../../src/engine/builder/windows.js';
import { createSessionTable, SessionState } from '../../../../src/engine/exec/sessionState.js';
import { T } from '../../../../src/engine/exec/tables.js';
import { source } from '../../../../src/index.js';
import type { PlanNode } from '../../../../src/engine/plan/types.js';

const GAP_MS = 10;
const scan: PlanNode = { kind: 'scan', source: source({ name: 'ev', time: 'ts', schema: { ts: 'TIMESTAMP', k: 'VARCHAR' }, history: { table: 'none' } }).spec };

type Point = readonly [key: string | null, ms: number];

/** The sessions of the points by a plain per-key scan: [key, first µs, last µs], sorted. */
function sessionsOf(points: readonly Point[], byKey: boolean): [string | null, number, number][] {
  const out: [string | null, number, number][] = [];
  const keys = byKey ? [...new Set(points.map((p) => p[0]))] : [null];
  for (const k of keys) {
    const ts = points.filter((p) => !byKey || p[0] === k).map((p) => p[1] * 1000).sort((a, b) => a - b);
    let start = ts[0]!;
    ts.forEach((t, i) => {
      const next = ts[i + 1];
      if (next === undefined || next - t >= GAP_MS * 1000) {
        out.push([byKey ? k : null, start, t]);
        if (next !== undefined) start = next;
      }
    });
  }
  return out.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || a[1] - b[1]);
}

async function tableSessions(c: DuckDBConnection, byKey: boolean): Promise<[string | null, number, number][]> {
  const r = await c.runAndReadAll(`SELECT ${byKey ? 'k' : 'NULL'}, "__wp_ws", "__wp_wl" FROM ${T.sessions}`);
  return r.getRows().map((row) => [row[0] === null ? null : String(row[0]), Number(row[1]), Number(row[2])] as [string | null, number, number]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || a[1] - b[1]);
}

const batches = fc.array(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', null), fc.integer({ min: 0, max: 300 })), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 10 });

for (const byKey of [true, false]) {
  test(`merging batches into the kept sessions equals sessionizing every event at once (${byKey ? 'PARTITION BY k' : 'no partition keys'})`, async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const w = session('ts', `${GAP_MS} milliseconds`, byKey ? { by: 'k' } : {});
    if (w.kind !== 'session') throw new Error('a session window');
    await fc.assert(
      fc.asyncProperty(batches, async (list) => {
        await c.run(`CREATE OR REPLACE TEMP TABLE ${T.events} (ts TIMESTAMP, k VARCHAR)`);
        await createSessionTable(c, scan, w);
        const state = new SessionState(c, w, scan);
        const all: Point[] = [];
        for (const batch of list) {
          await c.run(`CREATE OR REPLACE TEMP TABLE b AS SELECT make_timestamp(t * 1000) AS ts, k::VARCHAR AS k FROM (VALUES ${batch.map(([k, t]) => `(${k === null ? 'NULL' : `'${k}'`}, ${t})`).join(', ')}) v(k, t)`);
          await c.run(`INSERT INTO ${T.events} SELECT * FROM b`);
          await state.merge('b', true);
          all.push(...batch);
          assert.deepEqual(await tableSessions(c, byKey), sessionsOf(all, byKey));
        }
        // release at a watermark: exactly the sessions ending (last + gap) at or before it leave, with their events
        const wm = 150_000;
        await state.release({ wm, prev: Number.NEGATIVE_INFINITY, closeLagUs: 0, latenessUs: 0, takeDirty: false }, true);
        const kept = sessionsOf(all, byKey).filter(([, , last]) => last + GAP_MS * 1000 > wm);
        assert.deepEqual(await tableSessions(c, byKey), kept);
        const left = await c.runAndReadAll(`SELECT k, epoch_us(ts) FROM ${T.events}`);
        const inKept = (k: string | null, t: number): boolean => kept.some(([kk, s, l]) => (!byKey || kk === k) && t >= s && t <= l);
        assert.equal(left.getRows().length, all.filter(([k, ms]) => inKept(k, ms * 1000)).length, 'the released sessions took their events, and only those');
        for (const [k, t] of left.getRows()) assert.ok(inKept(k === null ? null : String(k), Number(t)), 'every event left is in a kept session');
      }),
      { seed: 3, numRuns: 60 },
    );
    c.closeSync();
    db.closeSync();
  });
}
