#!/usr/bin/env node
// The one gate: `npm test` = build + type-check + lint + import-cycle check + every test tier.
//
//   node scripts/test.mjs                 everything
//   node scripts/test.mjs unit            one tier (unit | integration | jupyter | browser)
//   node scripts/test.mjs --no-static     skip build, type-check, lint and the cycle check
//
// Tiers run in order; the system packages they need (scripts/system-packages.mjs), the local Kafka
// broker and the Python environment for Jupyter are set up once here (the global setup) and their addresses handed to the tests through the environment.
// A tier's files are test/<tier>/**/*.test.ts. Ends with "N passed, N failed" over all tiers.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureExtensionModules, ensureNodeModules } from './bootstrap.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const noStatic = args.includes('--no-static');
const TIERS = ['unit', 'integration', 'jupyter', 'browser'];
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

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', env: { ...process.env, ...opts.env } });
    let out = '';
    if (opts.capture) {
      child.stdout.on('data', (d) => {
        out += d;
        process.stdout.write(d);
      });
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
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
  const env = services?.env ?? {};
  const { code, out } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], { capture: true, env });
  const count = (key) => Number(/^ℹ (\w+) (\d+)$/m.exec(out.split('\n').filter((l) => l.startsWith(`ℹ ${key} `)).pop() ?? '')?.[2] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  skipped += count('skipped') + count('todo');
  if (code !== 0 && count('fail') + count('cancelled') === 0) failedSteps++;
}
if (services) await services.teardown();

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failedSteps > 0) console.error(`${failedSteps} step(s) failed (build, type-check, lint, import cycles or a test process)`);
process.exit(failed > 0 || failedSteps > 0 ? 1 : 0);
