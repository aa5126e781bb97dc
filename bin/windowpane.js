#!/usr/bin/env node
// The `windowpane` command. Runs the compiled CLI; `npm install` builds it (the `prepare` script),
// and in a checkout that was never built the first command does (npm ci and npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const bootstrap = fileURLToPath(new URL('../scripts/bootstrap.mjs', import.meta.url));
const lock = fileURLToPath(new URL('../package-lock.json', import.meta.url));
if (!existsSync(compiled) && existsSync(bootstrap) && existsSync(lock)) {
  // a checkout that was never built: install its packages and compile it, as npm start would
  const { ensureBuild, ensureNodeModules, printToStderr } = await import(bootstrap);
  printToStderr();
  const root = fileURLToPath(new URL('..', import.meta.url));
  ensureNodeModules(root);
  ensureBuild(root);
}
if (!existsSync(compiled)) {
  process.stderr.write('windowpane: the compiled CLI is missing (dist/). Run `npm install` or `npm run build` in the windowpane folder.\n');
  process.exit(1);
}
const { main } = await import(compiled);
process.exitCode = await main(process.argv.slice(2));
