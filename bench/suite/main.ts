/**
 * The benchmark suite against the peers, in one run: history, Kafka ingest, live windowed
 * aggregation, Nexmark and the kernel, then the other benchmarks in bench/ as an appendix.
 * Writes BENCHMARKS.md and BENCHMARKS.json. Nothing here asserts a timing.
 *
 *   node --import tsx bench/suite/main.ts [--quick] [--only=history,ingest,live,saturation,nexmark,kernel,keys,sessions,scaleout,chart]
 *                                        [--brokers=host:port] [--out=DIR] [--no-appendix] [--merge]
 *
 * --quick runs small sizes (seconds per case) and writes to a temp folder unless --out is given.
 * Without --brokers the suite starts a private Kafka broker and stops it at the end. --merge puts
 * the sections of a partial run into the existing report (which then says so).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { chartCase } from './cases/chart.js';
import { historyCase } from './cases/history.js';
import { ingestCase } from './cases/ingest.js';
import { kernelCase } from './cases/kernel.js';
import { keysCase } from './cases/keys.js';
import { sessionsCase } from './cases/sessions.js';
import { scaleoutCase } from './cases/scaleout.js';
import { liveCase } from './cases/live.js';
import { saturationCase } from './cases/saturation.js';
import { nexmarkCase } from './cases/nexmark.js';
import { openContext, type Context } from './context.js';
import { machineInfo } from './machine.js';
import { renderMarkdown, type Report, type Section } from './report.js';
import { SCALES } from './scale.js';

const CASES: Readonly<Record<string, (ctx: Context) => Promise<Section>>> = {
  history: historyCase, ingest: ingestCase, live: liveCase, saturation: saturationCase, nexmark: nexmarkCase, kernel: kernelCase, keys: keysCase, sessions: sessionsCase, scaleout: scaleoutCase, chart: chartCase,
};

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const scale = args.includes('--quick') ? SCALES.quick : SCALES.full;
const only = flag('only')?.split(',') ?? Object.keys(CASES);
const unknown = only.filter((c) => !(c in CASES));
if (unknown.length > 0) {
  console.error(`unknown case ${unknown.join(', ')} (expected ${Object.keys(CASES).join(', ')})`);
  process.exit(2);
}
const out = flag('out') ?? (scale.name === 'full' ? packageRoot : mkdtempSync(join(tmpdir(), 'windowpane-bench-report-')));
process.env.TZ = 'UTC';
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const t0 = performance.now();
// the kernel benchmark runs dist/kernel/main.js: build it from the current sources first
const build = spawnSync(process.execPath, [join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: packageRoot, encoding: 'utf8' });
if (build.status !== 0) console.error(`npm run build reported errors (dist/ may be partly stale):\n${build.stdout.slice(0, 2000)}`);

const ctx = await openContext(scale, flag('brokers'));
// an interrupted run still stops its private broker
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void ctx.close().finally(() => process.exit(130)));
}
const sections: Section[] = [];
const appendix: { title: string; text: string }[] = [];
let machine: Record<string, string> = {};
try {
  machine = await machineInfo(ctx.brokers);
  for (const name of only) {
    ctx.log(`== ${name}`);
    try {
      sections.push(await CASES[name]!(ctx));
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
      ctx.log(`${name} failed: ${why}`);
      sections.push({ id: name, title: `${name}: the case failed`, columns: ['Windowpane'], rows: [{ name, cells: { Windowpane: { kind: 'missing', reason: why } } }], higherIsBetter: true, notes: [] });
    }
  }
  // 2. the other benchmarks in bench/, printed tables kept as they are; Kafka ones use this broker
  if (!args.includes('--no-appendix') && scale.name === 'full' && flag('only') === undefined) {
    const benchDir = join(packageRoot, 'bench');
    // kernel.ts and chart.ts feed sections of their own
    for (const f of readdirSync(benchDir).filter((f) => f.endsWith('.ts') && !['run.ts', 'stats.ts', 'kernel.ts', 'chart.ts'].includes(f)).sort()) {
      ctx.log(`== bench/${f}`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, f)], { cwd: packageRoot, encoding: 'utf8', timeout: 900_000, env: { ...process.env, WINDOWPANE_KAFKA_BROKERS: ctx.brokers } });
      const tables = r.stdout.split('\n').filter((l) => l.startsWith('|') || l.startsWith('## ')).join('\n').replace(/^## /gm, '### ');
      appendix.push({ title: `bench/${f}`, text: r.status === 0 ? tables : `exited with ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}\n\n${tables}` });
    }
  }
} finally {
  await ctx.close();
}

let report: Report = { generatedAt: new Date().toISOString(), durationS: (performance.now() - t0) / 1000, scale: scale.name, machine, sections, appendix };
// --merge: put the sections of this partial run into the existing report, saying so
const previous = join(out, 'BENCHMARKS.json');
if (args.includes('--merge') && existsSync(previous)) {
  const old = JSON.parse(readFileSync(previous, 'utf8')) as Report;
  const fresh = new Map(sections.map((s) => [s.id, s]));
  report = {
    ...old,
    sections: [...old.sections.map((s) => fresh.get(s.id) ?? s), ...sections.filter((s) => !old.sections.some((o) => o.id === s.id))],
    reruns: [...(old.reruns ?? []).filter((x) => !fresh.has(x.section)), ...sections.map((s) => ({ section: s.id, at: report.generatedAt }))],
  };
}
writeFileSync(join(out, 'BENCHMARKS.json'), JSON.stringify(report, null, 2) + '\n');
writeFileSync(join(out, 'BENCHMARKS.md'), renderMarkdown(report));
console.log(renderMarkdown(report));
console.log(`wrote ${join(out, 'BENCHMARKS.md')} and BENCHMARKS.json`);
process.exit(0);
