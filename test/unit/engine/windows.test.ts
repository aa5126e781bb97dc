import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { windowStartsOf, windowStartsSql } from '../../../src/engine/exec/windowSql.js';
import { Watermarks } from '../../../src/engine/exec/watermark.js';
import { hop, tumble } from '../../../src/engine/builder/windows.js';

test('window assignment in SQL matches the definition (start <= t < start + size, epoch aligned)', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: -10_000_000, max: 10_000_000 }).map((s) => s * 1000 + 1_700_000_000_000),
      fc.constantFrom(tumble('ts', '1 minute'), tumble('ts', '1 hour', { offset: '15 minutes' }), hop('ts', { size: '10 minutes', slide: '3 minutes' }), hop('ts', { size: '1 hour', slide: '20 minutes' })),
      async (tMs, w) => {
        const r = await c.runAndReadAll(windowStartsSql(w, `SELECT make_timestamp(${tMs * 1000}) AS ts`));
        const sqlStarts = r.getRows().map((row) => Number(row[0])).sort((a, b) => a - b);
        const jsStarts = windowStartsOf(w, tMs * 1000);
        assert.deepEqual(sqlStarts, jsStarts);
        const slide = (w.kind === 'tumble' ? w.sizeMs : w.slideMs) * 1000;
        for (const s of jsStarts) {
          assert.ok(s <= tMs * 1000 && tMs * 1000 < s + w.sizeMs * 1000);
          assert.equal((((s - w.offsetMs * 1000) % slide) + slide) % slide, 0);
        }
        const per = w.sizeMs / (slide / 1000);
        assert.ok(jsStarts.length >= Math.floor(per) && jsStarts.length <= Math.ceil(per));
      },
    ),
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
