/**
 * High cardinality: a windowed aggregation over about a million keys (Windowpane's history phase,
 * sql() → collect() over a Parquet file) beside the same GROUP BY run directly in DuckDB, each in a
 * fresh Node process of its own so peak RSS is comparable; once with DuckDB's default memory limit
 * and once under a memoryLimit that makes both spill.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Context } from '../context.js';
import { figure, missing, type Cell, type Row, type Section } from '../report.js';

const BASE_US = Date.UTC(2026, 0, 1) * 1000;
const SPAN_US = 2 * 3600 * 1_000_000; // two 1-hour windows

interface Measured {
  readonly ms: number;
  readonly rows: number;
  readonly peakRssMB: number;
  readonly peakDuckMB: number;
  readonly spilledMB: number;
}

async function generate(file: string, n: number, keys: number): Promise<void> {
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  // event times a permutation of n steps over two hours (7207 is prime); keys by a multiplicative hash
  await conn.run(`COPY (SELECT make_timestamp(${BASE_US} + ((i * 7207) % ${n}) * ${Math.floor(SPAN_US / n)}) AS ts, 'key-' || ((i * 7919) % ${keys}) AS k, (i * 31) % 1000 AS v FROM range(${n}) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.closeSync();
  duck.closeSync();
}

function measure(mode: 'ours' | 'duckdb', file: string, limit: string, tempDir: string): Promise<Measured> {
  const script = fileURLToPath(new URL('../keys/child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, mode, file, limit, tempDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Measured);
      else reject(new Error(`${mode} exited with ${code}: ${(err.split('\n').find((l) => /^\[?\w*Error: /.test(l)) ?? err.trim().split('\n').pop()) ?? ''}`));
    });
  });
}

const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

export async function keysCase(ctx: Context): Promise<Section> {
  const { events: n, keys, limit } = ctx.scale.highCardinality;
  const file = join(ctx.dir, `keys-${n}.parquet`);
  ctx.log(`keys: generating ${n.toLocaleString('en-US')} events over ${keys.toLocaleString('en-US')} keys`);
  await generate(file, n, keys);
  const rows: Row[] = [];
  const notes: string[] = [];
  let resultRows = 0;
  for (const lim of ['-', limit]) {
    const runs: Record<'ours' | 'duckdb', Measured[]> = { ours: [], duckdb: [] };
    const failed: Partial<Record<'ours' | 'duckdb', Cell>> = {};
    for (let i = 0; i < ctx.scale.repeats; i++) {
      for (const mode of ['duckdb', 'ours'] as const) {
        if (failed[mode]) continue;
        try {
          const m = await measure(mode, file, lim, join(ctx.dir, `spill-${mode}-${i}`));
          runs[mode].push(m);
          if (mode === 'duckdb') resultRows = m.rows;
          else if (m.rows !== resultRows) notes.push(`Windowpane returned ${m.rows} final rows, DuckDB ${resultRows} (limit ${lim}).`);
        } catch (e) {
          failed[mode] = missing(`failed: ${errorLine(e)}`);
        }
      }
    }
    const label = lim === '-' ? "DuckDB's default memory limit" : `memoryLimit '${lim}'`;
    ctx.log(`keys (${label}): ours ${JSON.stringify(runs.ours)}; duckdb ${JSON.stringify(runs.duckdb)}`);
    const cells = (pick: (m: Measured) => number, unit: string, digits = 0): Row['cells'] => ({
      Windowpane: failed.ours ?? figure(runs.ours.map(pick), unit, digits),
      'DuckDB direct': failed.duckdb ?? figure(runs.duckdb.map(pick), unit, digits),
    });
    rows.push({ name: `${label}: throughput`, cells: cells((m) => n / (m.ms / 1000), 'events/s') });
    rows.push({ name: `${label}: peak RSS`, cells: cells((m) => m.peakRssMB, 'MB') });
    rows.push({ name: `${label}: peak DuckDB memory`, cells: cells((m) => m.peakDuckMB, 'MB') });
    if (lim !== '-') rows.push({ name: `${label}: peak spilled to disk`, cells: cells((m) => m.spilledMB, 'MB') });
  }
  notes.push(
    `Data: ${n.toLocaleString('en-US')} events generated once per run with DuckDB \`range()\` into one Parquet file (ts, k, v): event times scattered over two hours, ${keys.toLocaleString('en-US')} distinct keys, so the query outputs ${resultRows.toLocaleString('en-US')} rows (window × key). Query: 1-hour tumbling windows, count, sum and max per key. Windowpane: \`sql()\` with \`TUMBLE(events, ts, '1 hour')\` over a \`{ parquet }\` history source, timed from the call to \`collect()\` returning every final row as a JavaScript object (planning, the history query, the end-of-input flush and the changelog table included). DuckDB direct: the same aggregation with \`time_bucket\` over \`read_parquet\`, every row read into JavaScript (\`getRows()\`).`,
    `Each measurement runs in a fresh Node process (bench/suite/keys/child.ts), the two systems alternating; peak RSS is the process's maximum resident set (\`process.resourceUsage().maxRSS\`), which includes the JavaScript rows. Peak DuckDB memory and spilled bytes are sampled every 50 ms from \`duckdb_memory()\` on a second connection of the same instance. Both instances get the same settings: a temp folder, \`preserve_insertion_order = false\` and, in the second half, \`memory_limit\` (Windowpane through its \`memoryLimit\` run option).`,
  );
  return { id: 'keys', title: 'High cardinality: a windowed aggregation over a million keys', columns: ['Windowpane', 'DuckDB direct'], rows, ratioTo: 'DuckDB direct', higherIsBetter: true, direction: 'Throughput: higher is better. Memory: lower is better.', notes };
}
