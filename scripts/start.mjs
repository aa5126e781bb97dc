#!/usr/bin/env node
// `npm start`: the main job on a fresh clone. Installs what is missing (Debian packages such as Java
// and Maven, the npm packages, the build), then runs `windowpane up`
// (the local Kafka, the demo stream, and JupyterLab with the Windowpane kernel on the quickstart).
//
// Stopping: a supervisor signals the process it started, npm. npm forwards SIGINT and SIGTERM to
// its script, which is `exec node scripts/start.mjs` so that no shell sits in between and swallows
// them; this process passes them on to `windowpane up`, which stops JupyterLab, the demo stream and
// the broker it started, and exits; then so do we, and npm. Should our parent go away anyway (a
// shell killed in between, npm killed outright), we stop the same way.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBuild, ensureNodeModules } from './bootstrap.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const SIGNALS = ['SIGINT', 'SIGTERM'];
const codeOf = (signal) => 128 + ({ SIGINT: 2, SIGTERM: 15 }[signal] ?? 1);
const root = fileURLToPath(new URL('..', import.meta.url));

// 1. installs (synchronous): a signal meanwhile is kept and honoured before anything starts
let early;
const keep = (signal) => (early ??= signal);
for (const s of SIGNALS) process.on(s, keep);
try {
  ensureSystemPackages(['start'], { prefix: 'windowpane', command: 'npm start' });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
ensureNodeModules(root);
ensureBuild(root);
if (early) process.exit(codeOf(early));

// 2. `windowpane up`, with every stop signal passed on
const child = spawn(process.execPath, ['bin/windowpane.js', 'up', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const s of SIGNALS) {
  process.removeListener(s, keep);
  process.on(s, () => child.kill(s));
}
const parent = process.ppid;
const orphaned = setInterval(() => {
  if (process.ppid !== parent) {
    clearInterval(orphaned);
    child.kill('SIGTERM');
  }
}, 1000);
child.on('exit', (code, signal) => {
  clearInterval(orphaned);
  process.exit(code ?? (signal ? codeOf(signal) : 0));
});
