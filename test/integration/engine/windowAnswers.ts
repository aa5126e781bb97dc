/**
 * Batch answers for the property tests, computed independently of the engine's SQL: the windows
 * are enumerated in plain TypeScript (grid windows from their definition, sessions by a per-key
 * scan), then DuckDB joins the events to them and aggregates. Events may be excluded per window
 * (the (event, window) pairs the engine reported as too late).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { ChangelogRow, Scalar } from '../../../src/index.js';
import type { TestEvent } from './events.js';

export type WindowCase =
  | { readonly kind: 'tumble'; readonly size: number }
  | { readonly kind: 'hop'; readonly size: number; readonly slide: number }
  | { readonly kind: 'cumulate'; readonly step: number; readonly size: number }
  | { readonly kind: 'session'; readonly gap: number };

const MIN = 60_000;

/** The FROM clause of the case, over source `ev` with time column ts (sizes in minutes). */
export function windowCall(w: WindowCase): string {
  switch (w.kind) {
    case 'tumble': return `TUMBLE(ev, ts, '${w.size} minutes')`;
    case 'hop': return `HOP(ev, ts, '${w.slide} minutes', '${w.size} minutes')`;
    case 'cumulate': return `CUMULATE(ev, ts, '${w.step} minutes', '${w.size} minutes')`;
    case 'session': return `SESSION(ev PARTITION BY g, ts, '${w.gap} minutes')`;
  }
}

interface Win {
  readonly g: string | null;
  readonly ws: number;
  readonly we: number;
}

function windows(events: readonly TestEvent[], w: WindowCase): Win[] {
  const out = new Map<string, Win>();
  const add = (x: Win): void => void out.set(`${x.g}|${x.ws}|${x.we}`, x);
  const floor = (t: number, step: number): number => Math.floor(t / step) * step;
  for (const e of events) {
    if (w.kind === 'tumble') add({ g: null, ws: floor(e.ts, w.size * MIN), we: floor(e.ts, w.size * MIN) + w.size * MIN });
    if (w.kind === 'hop') for (let s = floor(e.ts, w.slide * MIN); s > e.ts - w.size * MIN; s -= w.slide * MIN) add({ g: null, ws: s, we: s + w.size * MIN });
    if (w.kind === 'cumulate') {
      const b = floor(e.ts, w.size * MIN);
      for (let end = b + w.step * MIN; end <= b + w.size * MIN; end += w.step * MIN) if (end > e.ts) add({ g: null, ws: b, we: end });
    }
  }
  if (w.kind === 'session') {
    for (const g of new Set(events.map((e) => e.g))) {
      const ts = events.filter((e) => e.g === g).map((e) => e.ts).sort((a, b) => a - b);
      let start = ts[0]!;
      ts.forEach((t, i) => {
        const next = ts[i + 1];
        if (next === undefined || next - t >= w.gap * MIN) {
          add({ g, ws: start, we: t + w.gap * MIN });
          if (next !== undefined) start = next;
        }
      });
    }
  }
  return [...out.values()];
}

/** (partition, offset, window start ms) of an excluded pair. */
export type Excluded = readonly [number, number, number];

/** The group of an event: its own `g`, or what a profile table maps it to (null when unmatched: a left join). */
export type GroupBy = { readonly kind: 'g' } | { readonly kind: 'profile'; readonly segments: Readonly<Record<string, string>> };

export async function windowAnswer(events: readonly TestEvent[], offsets: readonly number[], w: WindowCase, aggregates: string, excluded: readonly Excluded[] = [], groupBy: GroupBy = { kind: 'g' }): Promise<Map<string, Record<string, Scalar>>> {
  const out = new Map<string, Record<string, Scalar>>();
  if (events.length === 0) return out;
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('CREATE TABLE e (p INTEGER, o BIGINT, ts_ms BIGINT, g VARCHAR, v BIGINT, x DOUBLE)');
  await c.run(`INSERT INTO e VALUES ${events.map((e, i) => `(${e.partition}, ${offsets[i]}, ${e.ts}, '${e.g}', ${e.v}, ${e.x})`).join(', ')}`);
  await c.run('CREATE TABLE w (g VARCHAR, ws BIGINT, we BIGINT)');
  const ws = windows(events, w);
  for (let i = 0; i < ws.length; i += 1000) await c.run(`INSERT INTO w VALUES ${ws.slice(i, i + 1000).map((x) => `(${x.g === null ? 'NULL' : `'${x.g}'`}, ${x.ws}, ${x.we})`).join(', ')}`);
  await c.run('CREATE TABLE x (p INTEGER, o BIGINT, ws BIGINT)');
  if (excluded.length > 0) await c.run(`INSERT INTO x VALUES ${excluded.map(([p, o, s]) => `(${p}, ${o}, ${s})`).join(', ')}`);
  const r = await c.runAndReadAll(
    `SELECT w.ws AS window_start, w.we AS window_end, ${groupSql(groupBy)} AS g, ${aggregates} FROM e JOIN w ON e.ts_ms >= w.ws AND e.ts_ms < w.we AND (w.g IS NULL OR w.g = e.g)
     WHERE NOT EXISTS (SELECT 1 FROM x WHERE x.p = e.p AND x.o = e.o AND x.ws = w.ws) GROUP BY ALL`,
  );
  const names = r.columnNames();
  for (const row of r.getRows()) {
    const rec = Object.fromEntries(names.map((n, i) => [n, typeof row[i] === 'bigint' ? Number(row[i]) : (row[i] as Scalar)]));
    out.set(`${Number(rec.window_start)}|${Number(rec.window_end)}|${JSON.stringify([rec.g])}`, rec);
  }
  c.closeSync();
  db.closeSync();
  return out;
}

function groupSql(g: GroupBy): string {
  if (g.kind === 'g') return 'e.g';
  const cases = Object.entries(g.segments).map(([k, v]) => `WHEN e.g = '${k}' THEN '${v}'`);
  return cases.length === 0 ? 'NULL::VARCHAR' : `CASE ${cases.join(' ')} ELSE NULL END`;
}

/** Folds a changelog (upserts, retractions) into the table it describes. */
export function foldChangelog(rows: readonly ChangelogRow[]): Map<string, ChangelogRow> {
  const table = new Map<string, ChangelogRow>();
  for (const r of rows) {
    if (r.kind === 'retract') {
      if (!table.delete(r.key)) throw new Error(`retract of ${r.key}, which is not in the table`);
    } else table.set(r.key, r);
  }
  return table;
}
