/**
 * Kernel responsiveness: time from process start to the first kernel_info_reply and to the first
 * cell's result, and the round trip of a trivial execute_request (request → execute_reply and
 * status idle) once the kernel is warm. Windowpane beside
 * tslab (the TypeScript kernel users have today), measured here in the same run over the same
 * ZeroMQ client. Printed, never asserted.
 *   node --import tsx bench/kernel.ts [starts] [executes]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/util/paths.js';
import { startKernel } from './suite/kernel/client.js';
import { fmt, printTable, summarize } from './stats.js';

const starts = Number(process.argv[2] ?? 5);
const executes = Number(process.argv[3] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'windowpane-bench-kernel-'));

type Measured = { start: number[]; first: number[]; exec: number[] };
async function measure(label: string, argv: (file: string) => string[]): Promise<Measured | string> {
  const start: number[] = [];
  const first: number[] = [];
  const exec: number[] = [];
  try {
    for (let i = 0; i < starts; i++) {
      const k = await startKernel(dir, argv);
      start.push(k.startMs);
      await k.execute('1');
      first.push(performance.now() - k.t0);
      if (i === 0) {
        // Warm-up: a kernel may type-check its first cells in the background (seconds, once).
        for (let j = 0; j < 3; j++) await k.execute('0');
        for (let j = 0; j < executes; j++) exec.push(await k.execute('1 + 1'));
      }
      await k.stop();
    }
    return { start, first, exec };
  } catch (e) {
    return `${label} could not run here: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const dist = join(packageRoot, 'dist', 'kernel', 'main.js');
const entry = process.env.WINDOWPANE_BENCH_ENTRY; // another kernel entry (.ts), e.g. while developing
const ours = entry
  ? { how: `node --import tsx ${entry}`, argv: (f: string) => [process.execPath, '--import', import.meta.resolve('tsx'), entry, '-f', f] }
  : existsSync(dist)
  ? { how: 'node dist/kernel/main.js', argv: (f: string) => [process.execPath, dist, '-f', f] }
  : { how: 'node --import tsx kernel/main.ts (dist/ not built)', argv: (f: string) => [process.execPath, '--import', import.meta.resolve('tsx'), join(packageRoot, 'kernel', 'main.ts'), '-f', f] };
const tslabBin = join(packageRoot, 'node_modules', 'tslab', 'bin', 'tslab');
const tslab = { how: 'tslab 1.0.22 kernel (TypeScript)', argv: (f: string) => [process.execPath, tslabBin, 'kernel', '--config-path', f] };

console.log(`windowpane: ${ours.how}; baseline: ${tslab.how}; ${starts} starts, ${executes} executes`);
const a = await measure('windowpane', ours.argv);
const b = existsSync(tslabBin) ? await measure('tslab', tslab.argv) : 'tslab is not installed (npm install --save-dev tslab)';
rmSync(dir, { recursive: true, force: true });
if (typeof a === 'string') console.log(a);
if (typeof b === 'string') console.log(b);
const cell = (r: typeof a, pick: keyof Measured) => (typeof r === 'string' ? 'n/a' : fmt(summarize(r[pick]), 'ms'));
const ratio = (pick: keyof Measured) => (typeof a === 'string' || typeof b === 'string' ? undefined : summarize(a[pick]).median / summarize(b[pick]).median);
printTable('Kernel start and execute round trip (lower is better)', [
  { case: 'start → first kernel_info_reply', ours: cell(a, 'start'), baseline: cell(b, 'start'), ...(ratio('start') === undefined ? {} : { ratio: ratio('start')! }) },
  { case: 'start → first cell result', ours: cell(a, 'first'), baseline: cell(b, 'first'), ...(ratio('first') === undefined ? {} : { ratio: ratio('first')! }) },
  { case: 'execute "1 + 1" → reply + idle (warm)', ours: cell(a, 'exec'), baseline: cell(b, 'exec'), ...(ratio('exec') === undefined ? {} : { ratio: ratio('exec')! }) },
]);
process.exit(0);
