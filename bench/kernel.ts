/**
 * Kernel responsiveness, each from a fresh process: start → first kernel_info_reply; start → the
 * first completion answered with matches (`Math.ma`, asked at once and again until it has some);
 * start → the first TypeScript cell (`const x: number = 1; x`) done, with TypeScript's code cache
 * in place (any kernel after a machine's first) and without it (a fresh cache folder); and the
 * round trip of `1 + 1` once warm (its type checker answering). Windowpane beside tslab (the TypeScript kernel users have
 * today), measured here in the same run over the same ZeroMQ client. Printed, never asserted.
 *   node --import tsx bench/kernel.ts [starts] [executes]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/util/paths.js';
import { firstCell, firstCompletion, startKernel } from './suite/kernel/client.js';
import { fmt, printTable, summarize } from './stats.js';

const starts = Number(process.argv[2] ?? 5);
const executes = Number(process.argv[3] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'windowpane-bench-kernel-'));
const COMPLETION = 'Math.ma';
const TYPED_CELL = 'const x: number = 1; x';

const ROWS = {
  start: 'start → first kernel_info_reply',
  completion: `start → first completion with matches (\`${COMPLETION}\`)`,
  typed: `start → first TypeScript cell done (\`${TYPED_CELL}\`)`,
  typedCold: 'start → first TypeScript cell done, no code cache yet',
  exec: 'execute "1 + 1" → reply + idle (warm)',
} as const;
type Row = keyof typeof ROWS;
type Measured = Partial<Record<Row, number[]>>;

async function measure(label: string, argv: (file: string) => string[], coldCache: boolean): Promise<Measured | string> {
  const m: Required<Measured> = { start: [], completion: [], typed: [], typedCold: [], exec: [] };
  try {
    for (let i = 0; i < starts; i++) {
      const k = await startKernel(dir, argv);
      m.start.push(k.startMs);
      if (i === 0) {
        // Warm-up: a kernel may type-check in the background (seconds, once): wait until its type
        // checker answers a completion that only a type checker can give (a member of an interface).
        for (let j = 0; j < 3; j++) await k.execute('0');
        await k.execute('interface WarmProbe { readiness: number }');
        const probe = '({} as WarmProbe).rea';
        while (!((await k.ask('complete_request', { code: probe, cursor_pos: probe.length })).matches as string[]).includes('readiness')) await new Promise((r) => setTimeout(r, 100));
        for (let j = 0; j < executes; j++) m.exec.push(await k.execute('1 + 1'));
      }
      await k.stop();
      m.completion.push(await firstCompletion(dir, argv, COMPLETION));
      m.typed.push(await firstCell(dir, argv, TYPED_CELL));
      if (coldCache) {
        const cache = mkdtempSync(join(dir, 'cache-'));
        m.typedCold.push(await firstCell(dir, argv, TYPED_CELL, { ...process.env, XDG_CACHE_HOME: cache }));
        rmSync(cache, { recursive: true, force: true });
      }
    }
    return coldCache ? m : { start: m.start, completion: m.completion, typed: m.typed, exec: m.exec };
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
const a = await measure('windowpane', ours.argv, true);
const b = existsSync(tslabBin) ? await measure('tslab', tslab.argv, false) : 'tslab is not installed (npm install --save-dev tslab)';
rmSync(dir, { recursive: true, force: true });
if (typeof a === 'string') console.log(a);
if (typeof b === 'string') console.log(b);
const figures = (r: Measured | string, row: Row) => {
  const values = typeof r === 'string' ? undefined : r[row];
  return values ? summarize(values) : undefined;
};
printTable(
  'Kernel start, first completion, first cell and execute round trip (lower is better)',
  (Object.keys(ROWS) as Row[]).map((row) => {
    const [x, y] = [figures(a, row), figures(b, row)];
    return { case: ROWS[row], ours: x ? fmt(x, 'ms') : 'n/a', baseline: y ? fmt(y, 'ms') : 'n/a', ...(x && y ? { ratio: x.median / y.median } : {}) };
  }),
);
process.exit(0);
