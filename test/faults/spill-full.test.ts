/**
 * Fault 5: the query's spill folder fills up, through the real kernel on a real Jupyter server. A
 * history aggregation with a small memoryLimit spills to a 16 MB tmpfs until it is full: the cell
 * fails with a ResourceError (spill-full) that names the folder; the kernel lives on with its state,
 * the next cell runs, closing the query frees the folder, and a query with room succeeds.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Kernel } from '@jupyterlab/services';
import { messages } from '../../src/messages.js';
import { startTestJupyter, type TestJupyter } from '../helpers/jupyter.js';
import { result, run, text, type Ran } from '../jupyter/kernel-helpers.js';
import { recordFault, since } from './figures.js';
import { smallFs, type SmallFs } from './smallfs.js';

let fs: SmallFs | undefined;
let jupyter: TestJupyter | undefined;
after(async () => {
  await jupyter?.stop();
  fs?.remove();
});

function error(r: Ran): { ename: string; evalue: string } | undefined {
  const e = r.iopub.find((m) => m.header.msg_type === 'error');
  return e ? (e.content as { ename: string; evalue: string }) : undefined;
}

async function ok(kernel: Kernel.IKernelConnection, code: string): Promise<Ran> {
  const r = await run(kernel, code);
  assert.equal(r.reply.status, 'ok', `${code}\n${JSON.stringify(error(r))}\n${text(r, 'stderr')}`);
  return r;
}

test('a spill folder that fills up: a ResourceError naming the folder, the kernel alive with its state', { timeout: 600_000 }, async () => {
  fs = smallFs(16);
  jupyter = await startTestJupyter({ kernelArgv: fs.kernelArgv });
  const kernel = await jupyter.startKernel();
  const spill = `${fs.dir}/spill`;
  const first = await ok(kernel, `const keep = { n: 41 };\nconst dir = ${JSON.stringify(fs.dir)};\nconst statfs = require('node:fs').statfsSync;\nconst free = () => statfs(dir).bavail * statfs(dir).bsize;\nconst size = statfs(dir).blocks * statfs(dir).bsize;\nsize`);
  assert.equal(result(first), String(fs.sizeMB * 1024 * 1024), 'the kernel sees the small filesystem');
  // 1. a history aggregation over 6 million rows and 3 million keys, in 64 MB of memory
  const big = `source({ name: 'big', time: 'ts', history: { query: "SELECT TIMESTAMP '2024-01-01' + to_seconds(i) AS ts, 'key-' || (i % 3000000)::VARCHAR || repeat('x', 40) AS k, i AS v FROM range(6000000) t(i)" } })`;
  const t0 = performance.now();
  const failed = await run(kernel, [
    `const big = ${big};`,
    "const q = await sql(`SELECT window_start, k, count(*) AS n, sum(v) AS sv FROM TUMBLE(big, ts, '1 day') GROUP BY ALL`, { sources: { big }, memoryLimit: '64MB', tempDirectory: " + JSON.stringify(spill) + ' });',
    'await q.collect();',
  ].join('\n'));
  const failedMs = since(t0);
  assert.equal(failed.reply.status, 'error');
  const e = error(failed);
  assert.equal(e?.ename, 'ResourceError', JSON.stringify(e));
  assert.match(e.evalue, new RegExp(`^the query's spill folder ${spill.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is full: DuckDB could not write what does not fit in memory \\(memoryLimit '64MB'\\) there`));
  assert.ok(e.evalue.endsWith(messages.spillFull(spill, 'x', '64MB').split('there (x)')[1]!), 'the fix is named');
  // 2. the kernel lives, with its state; the next cell runs at once
  const t1 = performance.now();
  const next = await ok(kernel, 'keep.n + 1');
  const nextMs = since(t1);
  assert.equal(result(next), '42');
  assert.equal(result(await ok(kernel, 'q.stats().phase')), "'done'");
  // 3. closing the query leaves the folder empty; a query with room succeeds in the same kernel
  await ok(kernel, 'await q.close();');
  const freed = await ok(kernel, 'free() > size * 0.9');
  assert.equal(result(freed), 'true');
  const again = await ok(kernel, "const q2 = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(big, ts, '1 day') GROUP BY ALL`, { sources: { big }, memoryLimit: '64MB', tempDirectory: dir + '/spill2' });\n(await q2.collect()).reduce((a, r) => a + Number(r.values.n), 0)");
  assert.equal(result(again), '6000000');
  const status = await kernel.requestKernelInfo();
  assert.equal(status?.content.status, 'ok');
  recordFault('spill-full', {
    done: `a history aggregation (6,000,000 rows, 3,000,000 keys) with memoryLimit '64MB' spilling to a ${fs.sizeMB} MB tmpfs (${fs.how === 'namespace' ? "mounted in the kernel's own mount namespace" : 'mounted by root'}), through the real kernel and Jupyter server`,
    saw: `the cell failed after ${(failedMs / 1000).toFixed(1)} s with ResourceError (spill-full) "the query's spill folder … is full: DuckDB could not write what does not fit in memory (memoryLimit '64MB') there (…). Free space in that folder, point tempDirectory at a folder with more room …, or raise memoryLimit"`,
    lost: null,
    duplicated: null,
    recoveryMs: nextMs,
    recovery: 'from the failed cell to the next cell\'s reply, in the same kernel with its variables; closing the query freed the folder and a smaller query ran there',
    details: { failedAfterMs: failedMs, nextCellMs: nextMs, sizeMB: fs.sizeMB, how: fs.how },
  });
});
