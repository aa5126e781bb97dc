import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { windowBoundsSql, windowedSql, windowsOf } from '../../../../src/engine/exec/windowSql.js';
import { Watermarks } from '../../../../src/engine/exec/watermark.js';
import { cumulate, hop, session, tumble } from '../../../../src/engine/builder/windows.js';

test('grid window assignment in SQL matches the definition (start <= t < end, aligned) and the JS one', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const grids = [
    tumble('ts', '1 minute'),
    tumble('ts', '1 hour', { offset: '15 minutes' }),
    hop('ts', { size: '10 minutes', slide: '3 minutes' }),
    hop('ts', { size: '1 hour', slide: '20 minutes' }),
    cumulate('ts', { step: '10 minutes', maxSize: '1 hour' }),
    cumulate('ts', { step: '1 hour', maxSize: '1 day', offset: '2 hours' }),
  ];
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: -10_000_000, max: 10_000_000 }).map((s) => s * 1000 + 1_700_000_000_000), fc.constantFrom(...grids), async (tMs, w) => {
      if (w.kind === 'session') throw new Error('grid windows only');
      const t = tMs * 1000;
      const r = await c.runAndReadAll(windowBoundsSql(w, `SELECT make_timestamp(${t}) AS ts`));
      const sqlBounds = r.getRows().map((row) => [Number(row[0]), Number(row[1])] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const jsBounds = windowsOf(w, t);
      assert.deepEqual(sqlBounds, jsBounds);
      const step = (w.kind === 'hop' ? w.slideMs : w.kind === 'cumulate' ? w.stepMs : w.sizeMs) * 1000;
      for (const [s, e] of jsBounds) {
        assert.ok(s <= t && t < e, 'the event lies in the window');
        const aligned = (x: number, by: number): boolean => (((x - w.offsetMs * 1000) % by) + by) % by === 0;
        assert.ok(aligned(s, w.kind === 'cumulate' ? w.sizeMs * 1000 : step), 'starts on the grid');
        assert.ok(aligned(e, step) || w.kind === 'hop', 'ends on the grid');
      }
      if (w.kind === 'cumulate') {
        assert.ok(jsBounds.every(([s]) => s === jsBounds[0]![0]), 'cumulating windows of an event share the start');
        assert.equal(jsBounds.at(-1)![1] - jsBounds[0]![0], w.sizeMs * 1000, 'the last one has the max size');
      } else {
        const per = w.sizeMs / (step / 1000);
        assert.ok(jsBounds.length >= Math.floor(per) && jsBounds.length <= Math.ceil(per));
      }
    }),
    { seed: 42, numRuns: 300 },
  );
  c.closeSync();
  db.closeSync();
});

test('session windows in SQL equal a plain per-key scan: a gap of `gap` or more starts a new session', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const w = session('ts', '10 minutes', { by: 'k' });
  if (w.kind !== 'session') throw new Error('session expected');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.record({ k: fc.constantFrom('a', 'b', null), m: fc.integer({ min: 0, max: 120 }) }), { maxLength: 40 }), async (events) => {
      const values = events.map((e) => `(${e.k === null ? 'NULL' : `'${e.k}'`}, make_timestamp(${e.m * 60_000_000}))`);
      const input = values.length === 0 ? `SELECT NULL::VARCHAR AS k, NULL::TIMESTAMP AS ts WHERE false` : `SELECT * FROM (VALUES ${values.join(', ')}) AS v(k, ts)`;
      const r = await c.runAndReadAll(`SELECT DISTINCT k, epoch_us(window_start) / 60000000, epoch_us(window_end) / 60000000 FROM (${windowedSql(w, input)})`);
      const got = r.getRows().map((row) => `${String(row[0])}:${Number(row[1])}-${Number(row[2])}`).sort();
      const expected: string[] = [];
      for (const k of ['a', 'b', null]) {
        const ts = events.filter((e) => e.k === k).map((e) => e.m).sort((a, b) => a - b);
        let start = ts[0];
        for (let i = 0; i < ts.length; i++) {
          if (i + 1 === ts.length || ts[i + 1]! - ts[i]! >= 10) {
            expected.push(`${String(k)}:${start}-${ts[i]! + 10}`);
            start = ts[i + 1];
          }
        }
      }
      assert.deepEqual(got, expected.sort());
    }),
    { seed: 42, numRuns: 200 },
  );
  c.closeSync();
  db.closeSync();
});

test('the watermark is the minimum over active partitions, minus the bound, and never moves back', () => {
  const w = new Watermarks(5, 1000);
  w.declarePartitions([0, 1], 0);
  w.observe(0, 100, 0);
  assert.equal(w.advance(0), Number.NEGATIVE_INFINITY, 'partition 1 has no data yet');
  w.observe(1, 50, 10);
  assert.equal(w.advance(10), 45);
  w.observe(1, 40, 20);
  assert.equal(w.advance(20), 45, 'older events do not move it back');
  // partition 1 goes idle: partition 0 alone decides
  w.observe(0, 200, 1500);
  assert.equal(w.advance(1500), 195);
  w.observeGlobal(1000);
  assert.equal(w.advance(1500), 995, 'history without partitions is a floor');
  assert.equal(w.flush(), Number.POSITIVE_INFINITY);
});
