/**
 * The example data sets: deterministic (same parameters, same rows), split cleanly at the split time
 * (history before, live from it), cached by parameters; and the quickstart notebook's parameter
 * defaults are the ones `windowpane up` streams with.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { datasets } from '../../../src/datasets/index.js';
import { QUICKSTART_DEMO } from '../../../src/datasets/quickstart.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dirA = mkdtempSync(join(tmpdir(), 'wp-datasets-a-'));
const dirB = mkdtempSync(join(tmpdir(), 'wp-datasets-b-'));
after(() => {
  rmSync(dirA, { recursive: true, force: true });
  rmSync(dirB, { recursive: true, force: true });
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const small = {
  flights: { historyDays: 1, liveDays: 1, airports: 2 },
  earthquakes: { liveDays: 2 },
  transactions: { cards: 30, historyDays: 2, liveHours: 2, frauds: 2 },
  telemetry: { devices: 4, historyHours: 3, liveHours: 1 },
  customers: { customers: 40, historyDays: 2, liveHours: 2 },
  machines: { machines: 3, historyDays: 1, liveHours: 2, failing: 1 },
} as const;

for (const [name, options] of Object.entries(small)) {
  test(`${name}: the same rows in two folders, split at the split time`, async () => {
    const make = datasets[name as keyof typeof datasets] as (o: object) => Promise<{ history: string; live: string; split: string; time: string; arrival?: string }>;
    const a = await make({ ...options, dir: dirA });
    const b = await make({ ...options, dir: dirB });
    const again = await make({ ...options, dir: dirA });
    assert.equal(again.history, a.history, 'a second call reuses the written files');
    const digest = (file: string) => query(`SELECT count(*)::INTEGER AS n, sum(hash(COLUMNS(*)))::VARCHAR AS h FROM (SELECT * FROM '${file}')`);
    assert.deepEqual(await digest(a.history), await digest(b.history));
    assert.deepEqual(await digest(a.live), await digest(b.live));
    const by = a.arrival ?? a.time;
    const [bounds] = await query(`SELECT (SELECT max("${by}") FROM '${a.history}') < TIMESTAMP '${a.split.slice(0, 19)}' AS history_before,
      (SELECT min("${by}") FROM '${a.live}') >= TIMESTAMP '${a.split.slice(0, 19)}' AS live_after,
      (SELECT count(*) FROM '${a.history}') > 0 AND (SELECT count(*) FROM '${a.live}') > 0 AS both`);
    assert.deepEqual(bounds, { history_before: true, live_after: true, both: true });
  });
}

test('transactions: the fraud bursts are in the live part, one per fraud card', async () => {
  const d = await datasets.transactions({ ...small.transactions, dir: dirA });
  const [r] = await query(`SELECT (SELECT count(DISTINCT card_id) FROM '${d.live}' WHERE fraud_label)::INTEGER AS live, (SELECT count(*) FROM '${d.history}' WHERE fraud_label)::INTEGER AS history`);
  assert.deepEqual(r, { live: 2, history: 0 });
});

test('telemetry: some live readings were measured before the split (late data)', async () => {
  const d = await datasets.telemetry({ ...small.telemetry, dir: dirA });
  const [r] = await query(`SELECT count(*)::INTEGER AS n FROM '${d.live}' WHERE ts < TIMESTAMP '${d.split.slice(0, 19)}' - INTERVAL 10 MINUTE`);
  assert.ok(Number(r?.n) > 0);
});

test("quickstart.ipynb's parameter defaults are the demo stream's", () => {
  const nb = JSON.parse(readFileSync(join(root, 'notebooks', 'quickstart.ipynb'), 'utf8')) as { cells: { metadata: { tags?: string[] }; source: string[] }[] };
  const cell = nb.cells.find((c) => c.metadata.tags?.includes('parameters'));
  assert.ok(cell, 'quickstart.ipynb has a parameters cell');
  const values = new Map<string, string | number>();
  for (const m of cell.source.join('').matchAll(/^const (\w+) = ('[^']*'|\d+);/gm)) values.set(m[1]!, m[2]!.startsWith("'") ? m[2]!.slice(1, -1) : Number(m[2]));
  const { envVariable: _env, ...demo } = QUICKSTART_DEMO;
  for (const [k, v] of Object.entries(demo)) assert.equal(values.get(k), v, `parameter ${k}`);
});
