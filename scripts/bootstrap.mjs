// Installs what the project lacks before the main command or the tests run: the npm packages (when
// node_modules is missing or older than package-lock.json) and the compiled dist/. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// What bootstrap prints goes to stdout, or all of it to stderr (`toStderr`: for the windowpane
// command, whose stdout may be JSON read by a program).
let toStderr = false;
export function printToStderr() {
  toStderr = true;
}

function run(root, cmd, args, what) {
  (toStderr ? console.error : console.log)(`windowpane: ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: toStderr ? ['ignore', 2, 2] : 'inherit' });
  if (r.status !== 0) {
    console.error(`windowpane: ${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function ensureModulesIn(dir, what) {
  const marker = join(dir, 'node_modules', '.package-lock.json');
  const lock = join(dir, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run(dir, 'npm', ['ci', '--no-audit', '--no-fund'], `installing ${what} (npm ci)`);
}

export function ensureNodeModules(root) {
  ensureModulesIn(root, 'npm packages');
}

/** The JupyterLab extension's own packages: its type-check and the lint of its sources need them. */
export function ensureExtensionModules(root) {
  const ext = join(root, 'extensions', 'windowpane-jupyterlab');
  if (existsSync(join(ext, 'package-lock.json'))) ensureModulesIn(ext, "the JupyterLab extension's npm packages");
}

/** Builds dist/ when it is missing or older than any source file. */
export function ensureBuild(root) {
  const built = join(root, 'dist', 'src', 'cli', 'main.js');
  const sources = Math.max(newestMtime(join(root, 'src')), existsSync(join(root, 'kernel')) ? newestMtime(join(root, 'kernel')) : 0);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  run(root, 'npm', ['run', '--silent', 'build'], 'compiling TypeScript (npm run build)');
}
