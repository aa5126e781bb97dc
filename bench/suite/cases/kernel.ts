/**
 * Kernel: start to the first kernel_info_reply and the execute round trip. Windowpane and tslab
 * come from bench/kernel.ts (the kernel's own benchmark), run as is in this run; ipykernel is timed
 * beside them with the same wire code and the same steps (kernel/client.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/util/paths.js';
import type { Summary } from '../../stats.js';
import type { Context } from '../context.js';
import { timeKernel } from '../kernel/client.js';
import { figure, missing, type Cell, type Section } from '../report.js';

const FIG = /([\d.]+) ms \(min ([\d.]+), max ([\d.]+), n=(\d+)\)/;

function parseFigure(text: string | undefined, why: string | undefined): Cell {
  const m = text ? FIG.exec(text) : null;
  if (!m) return missing(why ?? 'bench/kernel.ts gave no figure');
  const summary: Summary = { median: Number(m[1]), min: Number(m[2]), max: Number(m[3]), n: Number(m[4]) };
  return { kind: 'figure', summary, unit: 'ms', digits: 1 };
}

/** Runs bench/kernel.ts and reads its table: rows start and execute, columns windowpane and tslab. */
function kernelBench(ctx: Context): { cells: Record<'start' | 'execute', [Cell, Cell]>; output: string } | { error: string } {
  const file = join(packageRoot, 'bench', 'kernel.ts');
  if (!existsSync(file)) return { error: 'bench/kernel.ts is not there' };
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, String(ctx.scale.kernelStarts), String(ctx.scale.kernelExecutes)], { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 240_000 });
  const output = `${r.stdout ?? ''}`;
  if (r.status !== 0) return { error: `bench/kernel.ts exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}` };
  const row = (label: RegExp): [Cell, Cell] => {
    const line = output.split('\n').find((l) => l.startsWith('|') && label.test(l));
    const parts = line?.split('|').map((s) => s.trim()) ?? [];
    const why = (name: string) => output.split('\n').find((l) => l.startsWith(name))?.slice(0, 300);
    return [parseFigure(parts[2], why('windowpane')), parseFigure(parts[3], why('tslab'))];
  };
  return { cells: { start: row(/kernel_info_reply/), execute: row(/execute/) }, output };
}

const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);

export async function kernelCase(ctx: Context): Promise<Section> {
  ctx.log('kernel: bench/kernel.ts (Windowpane, tslab)');
  const theirs = kernelBench(ctx);
  ctx.log('kernel: ipykernel');
  const python = join(packageRoot, '.venv', 'bin', 'python');
  let ipy: { start: Cell; execute: Cell };
  try {
    if (!existsSync(python)) throw new Error('the Python environment .venv is missing (scripts/setup-python.sh)');
    const t = await timeKernel(ctx.dir, (f) => [python, '-m', 'ipykernel_launcher', '-f', f], '1 + 1', ctx.scale.kernelStarts, ctx.scale.kernelExecutes);
    ipy = { start: figure(t.start, 'ms', 1), execute: figure(t.execute, 'ms', 1) };
  } catch (e) {
    ipy = { start: missing(errorLine(e)), execute: missing(errorLine(e)) };
  }
  // when bench/kernel.ts cannot finish, the same client times Windowpane and tslab too
  let fallback: { cells: Record<'start' | 'execute', [Cell, Cell]> } | undefined;
  if ('error' in theirs) {
    ctx.log(`kernel: ${theirs.error}; timing Windowpane and tslab with the suite's client`);
    const time = async (argv: (f: string) => string[]): Promise<[Cell, Cell]> => {
      try {
        const t = await timeKernel(ctx.dir, argv, '1 + 1', ctx.scale.kernelStarts, ctx.scale.kernelExecutes);
        return [figure(t.start, 'ms', 1), figure(t.execute, 'ms', 1)];
      } catch (e) {
        return [missing(errorLine(e)), missing(errorLine(e))];
      }
    };
    const w = await time((f) => [process.execPath, join(packageRoot, 'dist', 'kernel', 'main.js'), '-f', f]);
    const t = await time((f) => [process.execPath, join(packageRoot, 'node_modules', 'tslab', 'bin', 'tslab'), 'kernel', '--config-path', f]);
    fallback = { cells: { start: [w[0], t[0]], execute: [w[1], t[1]] } };
  }
  const ours = (k: 'start' | 'execute', i: 0 | 1): Cell => ('error' in theirs ? fallback!.cells[k][i] : theirs.cells[k][i]);
  return {
    id: 'kernel', title: 'Kernel: start and execute round trip', columns: ['Windowpane', 'tslab', 'ipykernel'],
    rows: [
      { name: 'process start → first kernel_info_reply', cells: { Windowpane: ours('start', 0), tslab: ours('start', 1), ipykernel: ipy.start } },
      { name: 'execute `1 + 1` → execute_reply and idle', cells: { Windowpane: ours('execute', 0), tslab: ours('execute', 1), ipykernel: ipy.execute } },
    ],
    ratioTo: 'tslab', higherIsBetter: false,
    notes: [
      ...('error' in theirs ? [`bench/kernel.ts did not finish in this run (${theirs.error}); Windowpane (node dist/kernel/main.js) and tslab were timed instead by the suite's client, the same way as ipykernel.`] : []),
      `Windowpane and tslab: bench/kernel.ts (the kernel's own benchmark, ${ctx.scale.kernelStarts} starts, ${ctx.scale.kernelExecutes} executes after one warm-up cell), run unchanged inside this suite; its Windowpane kernel is dist/kernel/main.js, built at the start of the run. ipykernel: \`python -m ipykernel_launcher\` from .venv, timed by bench/suite/kernel/client.ts with the same wire code and steps, the same counts. All three are driven over ZeroMQ on 127.0.0.1 by this Node process.`,
    ],
  };
}
