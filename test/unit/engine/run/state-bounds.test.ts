/** State bounds without services: the event buffer's compaction, the hub's retention, the memory limit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { ResourceError } from '../../../../src/errors.js';
import { messages } from '../../../../src/messages.js';
import { EventBuffer } from '../../../../src/engine/query/buffer.js';
import { ChangelogHub, closedRowsToKeep, DEFAULT_RETAINED_CLOSED_ROWS } from '../../../../src/engine/changelog/hub.js';
import { asResourceError } from '../../../../src/engine/run/resources.js';
import { openConnection } from '../../../../src/engine/run/setup.js';
import type { EngineRow } from '../../../../src/engine/exec/windowEngine.js';

const memoryBytes = async (conn: Awaited<ReturnType<DuckDBInstance['connect']>>): Promise<number> =>
  Number((await conn.runAndReadAll('SELECT sum(memory_usage_bytes) FROM duckdb_memory()')).getRows()[0]?.[0] ?? 0);

/** 20 rounds: 100k events in, all but the newest 10k out — with or without the buffer's checks. */
async function churn(compact: boolean): Promise<{ bytes: number; size: number; compactions: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run('CREATE TEMP TABLE wp_events (ts TIMESTAMP, k VARCHAR, v DOUBLE)');
  const buffer = new EventBuffer(conn, 'wp_events');
  for (let round = 0; round < 20; round++) {
    await conn.run(`INSERT INTO wp_events SELECT make_timestamp(i * 1000000), 'key-' || (i % 5000), i FROM range(${round * 100_000}, ${(round + 1) * 100_000}) t(i)`);
    await conn.run(`DELETE FROM wp_events WHERE ts < make_timestamp(${((round + 1) * 100_000 - 10_000) * 1_000_000})`);
    if (compact) await buffer.check();
  }
  const out = { bytes: await memoryBytes(conn), size: buffer.size, compactions: buffer.compactions };
  conn.closeSync();
  db.closeSync();
  return out;
}

test('the event buffer is compacted: DuckDB memory stays at the live rows, not every row ever buffered', async () => {
  const kept = await churn(false);
  const compacted = await churn(true);
  assert.equal(compacted.size, 10_000);
  assert.ok(compacted.compactions >= 10, `compactions: ${compacted.compactions}`);
  // without compaction DuckDB holds the blocks of all 2M rows; with it about the 10k live ones
  assert.ok(compacted.bytes * 5 < kept.bytes, `compacted ${compacted.bytes} B vs plain DELETE ${kept.bytes} B`);
});

const row = (kind: EngineRow['kind'], w: number, g: string): EngineRow => ({ kind, key: `${w}|${w + 10}|["${g}"]`, windowStart: w, windowEnd: w + 10, group: { g }, values: { n: w } });

test('the hub keeps open windows and the most recently closed rows; subscribers still see every row', async () => {
  const hub = new ChangelogHub();
  hub.retain(3);
  const seen: number[] = [];
  const reader = (async () => {
    for await (const b of hub.batches()) seen.push(...b.rows.map((r) => r.windowStart));
  })();
  for (let w = 0; w < 100; w += 10) hub.publish([row('provisional', w, 'a'), row('final', w, 'b')], w * 1000, 'live');
  hub.publish([row('final', 90, 'a')], 100_000, 'live');
  hub.end();
  await reader;
  assert.equal(seen.length, 21);
  const snap = hub.snapshot();
  // open: provisional 'a' rows of windows 0..80 (90 closed); closed: the last three final rows
  assert.deepEqual(snap.filter((r) => r.kind === 'final').map((r) => r.key), ['80|90|["b"]', '90|100|["a"]', '90|100|["b"]']);
  assert.equal(snap.filter((r) => r.kind === 'provisional').length, 9);
  assert.equal(hub.evicted, 8);
});

test('retention defaults: all rows for bounded runs, a bounded table for unbounded ones; bad values are named', () => {
  assert.equal(closedRowsToKeep(undefined, false), Number.POSITIVE_INFINITY);
  assert.equal(closedRowsToKeep(undefined, true), DEFAULT_RETAINED_CLOSED_ROWS);
  assert.equal(closedRowsToKeep(5, true), 5);
  assert.throws(() => closedRowsToKeep(-1, true), { message: messages.invalidRetainClosedRows('-1') });
});

test('memoryLimit is applied to the query instance, with a spill folder; a bad value and running out are clear errors', async () => {
  const { conn, owned } = await openConnection(undefined, { memoryLimit: '100MB' });
  const r = await conn.runAndReadAll(`SELECT current_setting('memory_limit'), current_setting('temp_directory'), current_setting('preserve_insertion_order')`);
  const [limit, dir, order] = r.getRows()[0]!;
  assert.match(String(limit), /^9\d\.\d MiB$/);
  assert.match(String(dir), /windowpane-duckdb-/);
  assert.equal(order, false);
  conn.closeSync();
  owned?.closeSync();
  await assert.rejects(openConnection(undefined, { memoryLimit: 'lots' }), { message: messages.invalidMemoryLimit('lots') });
  const oom = asResourceError(new Error('Out of Memory Error: could not allocate block of size 256.0 KiB (1.6 MiB/1.9 MiB used)\n\nPossible solutions: ...'), { memoryLimit: '2MB' });
  assert.ok(oom instanceof ResourceError);
  assert.equal(oom.message, messages.outOfMemory('2MB', 'could not allocate block of size 256.0 KiB (1.6 MiB/1.9 MiB used)'));
  // a full spill folder is named (DuckDB's own limit on it, or the disk)
  const why = 'failed to offload data block of size 256.0 KiB (14.2 MiB/14.3 MiB used)';
  const full = asResourceError(new Error(`Out of Memory Error: ${why}.\nThis limit was set by the 'max_temp_directory_size' setting.`), { memoryLimit: '64MB', tempDirectory: '/mnt/small' });
  assert.ok(full instanceof ResourceError);
  assert.equal(full.code, 'spill-full');
  assert.equal(full.message, messages.spillFull('/mnt/small', why, '64MB'));
  assert.match(full.message, /^the query's spill folder \/mnt\/small is full/);
  const disk = asResourceError(new Error('IO Error: Could not write file "/mnt/small/duckdb_temp_block-1.block": No space left on device'), { tempDirectory: '/mnt/small' });
  assert.equal((disk as ResourceError).code, 'spill-full');
});
