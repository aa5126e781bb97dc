#!/usr/bin/env node
// `npm start`: the main job on a fresh clone. Installs what is missing, then runs `windowpane up`
// (the local Kafka, the demo stream, and JupyterLab with the Windowpane kernel on the quickstart).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBuild, ensureNodeModules } from './bootstrap.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
ensureNodeModules(root);
ensureBuild(root);
const child = spawn(process.execPath, ['bin/windowpane.js', 'up', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
