/**
 * `npm run bench`: the whole suite (bench/suite/main.ts) — every case against its peers, then the
 * other benchmarks in bench/ — writing BENCHMARKS.md and BENCHMARKS.json at the repo root.
 * `npm run bench -- --quick` runs small sizes into a temp folder; `npm run bench -- kafka replay`
 * runs only the named files in bench/ and prints their tables.
 * Benchmarks report numbers beside a baseline from the same run; none of them passes or fails on a timing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const env = { ...process.env, TZ: 'UTC' };

if (only.length === 0) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, 'suite', 'main.ts'), ...args], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'stats.ts'].includes(f) && !f.endsWith('.d.ts'))
  .filter((f) => only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n# bench/${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, f)], { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`bench/${f} exited with ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
