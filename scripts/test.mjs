#!/usr/bin/env node
// The one gate: `npm test` = build + type-check + lint + import-cycle check + every test tier.
//
//   node scripts/test.mjs                 everything
//   node scripts/test.mjs unit            one tier (unit | integration | faults | jupyter | browser)
//   node scripts/test.mjs --no-static     skip build, type-check, lint and the cycle check
//
// Tiers run in order; the system packages they need (scripts/system-packages.mjs), the local Kafka
// broker and the Python environment for Jupyter are set up once here (the global setup) and their addresses handed to the tests through the environment.
// A tier's files are test/<tier>/**/*.test.ts. Ends with "N passed, N failed" over all tiers.
// The fault tier (broker kill -9, a broker that never returns, poison, schema drift, a full spill
// folder, interrupts) writes its figures to test-results/faults.json for RELIABILITY.md.
//
// No tier can hang: each test has --test-timeout (WINDOWPANE_TEST_FILE_TIMEOUT seconds, default
// 1200; on Node 20 it bounds each whole file too), and a watchdog stops a tier's process group
// when one file has run for that long plus a minute, names the file and the test that was running,
// counts it as failed and goes on with the tier's next files.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureExtensionModules, ensureNodeModules } from './bootstrap.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const noStatic = args.includes('--no-static');
const TIERS = ['unit', 'integration', 'faults', 'jupyter', 'browser'];
const wanted = args.filter((a) => !a.startsWith('--'));
for (const t of wanted) {
  if (!TIERS.includes(t)) {
    console.error(`unknown test tier: ${t} (expected one of ${TIERS.join(', ')})`);
    process.exit(2);
  }
}
const tiers = wanted.length > 0 ? wanted : TIERS;
process.env.TZ = 'UTC';
ensureNodeModules(root);
ensureExtensionModules(root);
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const fileTimeoutS = Number(process.env.WINDOWPANE_TEST_FILE_TIMEOUT ?? 1200);
if (!(fileTimeoutS > 0)) {
  console.error(`invalid WINDOWPANE_TEST_FILE_TIMEOUT: ${process.env.WINDOWPANE_TEST_FILE_TIMEOUT} (seconds, more than 0)`);
  process.exit(2);
}
const WATCHDOG_GRACE_MS = Math.min(60_000, fileTimeoutS * 1000);
const KILL_GRACE_MS = 10_000;

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', env: { ...process.env, ...opts.env }, detached: opts.detached ?? false });
    let out = '';
    if (opts.capture) {
      child.stdout.on('data', (d) => {
        out += d;
        process.stdout.write(d);
      });
    }
    opts.onSpawn?.(child);
    child.on('close', async (code, signal) => {
      // what the process left in its group (a test file's process that outlived its runner): stop it
      if (opts.detached && groupAlive(child.pid)) {
        console.error(`== processes left behind by ${opts.label ?? cmd}, stopped:\n${groupMembers(child.pid)}`);
        await stopGroup(child.pid);
      }
      resolve({ code: code ?? (signal ? 1 : 0), out });
    });
  });
}

// A Ctrl-C reaches only this process (a tier runs in its own group): pass it on to the tier.
let tierGroup;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (tierGroup) killGroup(tierGroup, signal);
    process.exitCode = 130;
    stopping = true;
  });
}
let stopping = false;

/** Members of a process group that still run (zombies, already dead and waiting to be reaped, do not count). */
function liveMembers(pgid) {
  const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return (ps.stdout ?? '')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === String(pgid) && !f[2]?.startsWith('Z'))
    .map((f) => `   ${f[0]} ${f.slice(3).join(' ')}`);
}

function groupAlive(pid) {
  return liveMembers(pid).length > 0;
}

function groupMembers(pgid) {
  return liveMembers(pgid).join('\n');
}

async function stopGroup(pid) {
  killGroup(pid, 'SIGTERM');
  for (let waited = 0; groupAlive(pid) && waited < KILL_GRACE_MS; waited += 100) await new Promise((r) => setTimeout(r, 100));
  killGroup(pid, 'SIGKILL');
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** What the progress reporter last wrote: the running file, since when, and its running test. */
function progressOf(path) {
  let current;
  let last;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { current, last };
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (e.fileStart) current = { file: e.fileStart, since: e.at, test: undefined };
    else if (e.testStart && current?.file === e.file) current.test = e.testStart;
    else if (e.fileEnd) {
      last = e;
      if (current?.file === e.fileEnd) current = undefined;
    }
  }
  return { current, last };
}

/** Runs a tier's files in one node:test process under the watchdog; returns which file hung, if one did. */
async function runTier(tier, files, env) {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-test-progress-'));
  const progress = join(dir, `${tier}.jsonl`);
  let hung;
  let timer;
  const started = Date.now();
  const result = await run(process.execPath, ['--import', 'tsx', '--test', `--test-timeout=${fileTimeoutS * 1000}`, '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${join(root, 'scripts', 'test-progress.mjs')}`, `--test-reporter-destination=${progress}`, '--test-concurrency=1', ...files], {
    capture: true,
    env,
    detached: true,
    label: `the ${tier} tier`,
    onSpawn(child) {
      tierGroup = child.pid;
      timer = setInterval(() => {
        const { current, last } = progressOf(progress);
        const since = current?.since ?? last?.at ?? started;
        if (hung || Date.now() - since < fileTimeoutS * 1000 + WATCHDOG_GRACE_MS) return;
        hung = current ?? { file: last?.file, after: true };
        console.error(current
          ? `\n== ${tier}: ${current.file} did not finish within ${fileTimeoutS} s${current.test ? ` (running: ${current.test})` : ''}; stopping it`
          : `\n== ${tier}: the test process did not end ${fileTimeoutS} s after ${last ? `${last.file} ended` : 'it started'}; stopping it`);
        void stopGroup(child.pid);
      }, 2000);
    },
  });
  clearInterval(timer);
  tierGroup = undefined;
  rmSync(dir, { recursive: true, force: true });
  return { ...result, hung };
}

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...findTests(p));
    else if (name.endsWith('.test.ts')) found.push(relative(root, p));
  }
  return found;
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
let failedSteps = 0;
let passed = 0;
let failed = 0;
let skipped = 0;
const hungFiles = [];

if (!noStatic) {
  for (const [label, cmd, argv] of [
    ['build', bin('tsc'), ['-p', 'tsconfig.build.json']],
    ['type-check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
    ['lint', bin('eslint'), ['.']],
    ['import cycles', process.execPath, [join(root, 'scripts', 'check-cycles.mjs'), 'src']],
  ]) {
    console.log(`\n== ${label}`);
    const { code } = await run(cmd, argv);
    if (code !== 0) {
      console.error(`== ${label} failed`);
      failedSteps++;
    }
  }
}

// System packages (chromium, fonts, Java, Maven, python3-venv) before any tier that needs them.
try {
  const { ensureSystemPackages } = await import('./system-packages.mjs');
  ensureSystemPackages(tiers);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

let services;
for (const tier of tiers) {
  const files = findTests(join(root, 'test', tier));
  if (files.length === 0) continue;
  console.log(`\n== ${tier} tests (${files.length} files)`);
  if (tier !== 'unit' && !services) {
    const { setupServices } = await import('./test-services.mjs');
    services = await setupServices(root);
  }
  let flink;
  try {
    if (tier === 'integration') flink = (await import('./test-services.mjs')).startFlink(root);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    failedSteps++;
  }
  const env = { ...services?.env, ...flink?.env };
  // the fault tier writes its figures afresh (test/faults/figures.ts; `npm run reliability` renders them)
  if (tier === 'faults') rmSync(join(root, 'test-results', 'faults.json'), { force: true });
  let remaining = files;
  try {
    while (remaining.length > 0 && !stopping) {
      const { code, out, hung } = await runTier(tier, remaining, env);
      const count = (key) => Number(/^ℹ (\w+) (\d+)$/m.exec(out.split('\n').filter((l) => l.startsWith(`ℹ ${key} `)).pop() ?? '')?.[2] ?? 0);
      passed += count('pass');
      failed += count('fail') + count('cancelled');
      skipped += count('skipped') + count('todo');
      if (code !== 0 && count('fail') + count('cancelled') === 0) failedSteps++;
      if (!hung) break;
      failed++;
      if (hung.after) failedSteps++;
      else hungFiles.push(hung.file);
      remaining = hung.after ? [] : remaining.slice(remaining.indexOf(hung.file) + 1);
    }
  } finally {
    try {
      flink?.stop();
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
      failedSteps++;
    }
  }
}
if (services) await services.teardown();

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
if (hungFiles.length > 0) console.error(`stopped after ${fileTimeoutS} s: ${hungFiles.join(', ')}`);
if (failedSteps > 0) console.error(`${failedSteps} step(s) failed (build, type-check, lint, import cycles or a test process)`);
process.exit(failed > 0 || failedSteps > 0 ? 1 : 0);
