/**
 * Headless run time of a small notebook (python3 kernel): `windowpane run` starting its own
 * Jupyter Server, and against a running one. Baseline from the same run: nbclient through
 * `jupyter nbconvert --execute`, which talks to the kernel directly without a server.
 * Printed, never asserted.
 *   node --import tsx bench/runner.ts [repeats]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { venvBin } from '../src/jupyter/venv.js';
import { runNotebook } from '../src/runner/run.js';
import { startJupyterServer } from '../src/runner/server.js';
import { fmt, printTable, summarize } from './stats.js';

console.debug = () => undefined;
const repeats = Number(process.argv[2] ?? 3);
const notebook = fileURLToPath(new URL('../test/fixtures/notebooks/params.ipynb', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'windowpane-bench-runner-'));
const own: number[] = [];
const given: number[] = [];
const nbclient: number[] = [];
const server = await startJupyterServer({ rootDir: dir });
try {
  for (let i = 0; i < repeats; i++) {
    let t = performance.now();
    const a = await runNotebook({ input: notebook, output: join(dir, `own-${i}.ipynb`) });
    own.push(performance.now() - t);
    t = performance.now();
    const b = await runNotebook({ input: notebook, output: join(dir, `given-${i}.ipynb`), server: { url: server.baseUrl, token: server.token } });
    given.push(performance.now() - t);
    if (a.outcome.status !== 'ok' || b.outcome.status !== 'ok') throw new Error('the benchmark notebook failed');
    t = performance.now();
    const r = spawnSync(venvBin('jupyter'), ['nbconvert', '--to', 'notebook', '--execute', '--output-dir', dir, '--output', `nbclient-${i}`, notebook], { encoding: 'utf8' });
    nbclient.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`nbconvert failed: ${r.stderr}`);
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
const base = summarize(nbclient);
printTable('Headless run of a 4-cell python notebook, wall time', [
  { case: 'windowpane run (starts and stops its own server)', ours: fmt(summarize(own), 'ms', 0), baseline: `nbconvert --execute ${fmt(base, 'ms', 0)}`, ratio: summarize(own).median / base.median },
  { case: 'windowpane run --url (a running server)', ours: fmt(summarize(given), 'ms', 0), baseline: `nbconvert --execute ${fmt(base, 'ms', 0)}`, ratio: summarize(given).median / base.median },
]);
