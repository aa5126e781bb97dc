/**
 * Kernel: start to the first kernel_info_reply, to the first completion with matches, to the first
 * typed cell done, and the execute round trip. Windowpane and tslab
 * come from bench/kernel.ts (the kernel's own benchmark), run as is in this run; ipykernel is timed
 * beside them with the same wire code and the same steps (kernel/client.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/util/paths.js';
import type { Summary } from '../../stats.js';
import type { Context } from '../context.js';
import { firstCell, firstCompletion, timeKernel } from '../kernel/client.js';
import { figure, missing, type Cell, type Section } from '../report.js';

const FIG = /([\d.]+) ms \(min ([\d.]+), max ([\d.]+), n=(\d+)\)/;

function parseFigure(text: string | undefined, why: string | undefined): Cell {
  const m = text ? FIG.exec(text) : null;
  if (!m) return missing(why ?? 'bench/kernel.ts gave no figure');
  const summary: Summary = { median: Number(m[1]), min: Number(m[2]), max: Number(m[3]), n: Number(m[4]) };
  return { kind: 'figure', summary, unit: 'ms', digits: 1 };
}

type RowId = 'start' | 'completion' | 'typed' | 'typedCold' | 'execute';
/** How each row of bench/kernel.ts's table is recognised. */
const ROW_LABELS: Record<RowId, RegExp> = { start: /kernel_info_reply/, completion: /first completion/, typed: /first TypeScript cell done \(/, typedCold: /no code cache/, execute: /execute/ };

/** Runs bench/kernel.ts and reads its table: one row per RowId, columns windowpane and tslab. */
function kernelBench(ctx: Context): { cells: Record<RowId, [Cell, Cell]>; output: string } | { error: string } {
  const file = join(packageRoot, 'bench', 'kernel.ts');
  if (!existsSync(file)) return { error: 'bench/kernel.ts is not there' };
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, String(ctx.scale.kernelStarts), String(ctx.scale.kernelExecutes)], { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 900_000 });
  const output = `${r.stdout ?? ''}`;
  if (r.status !== 0) return { error: `bench/kernel.ts exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}` };
  const row = (label: RegExp): [Cell, Cell] => {
    const line = output.split('\n').find((l) => l.startsWith('|') && label.test(l));
    const parts = line?.split('|').map((s) => s.trim()) ?? [];
    const why = (name: string) => output.split('\n').find((l) => l.startsWith(name))?.slice(0, 300);
    return [parseFigure(parts[2], why('windowpane')), parseFigure(parts[3], why('tslab') ?? (parts[3] === 'n/a' ? 'not measured for this kernel' : undefined))];
  };
  const cells = Object.fromEntries((Object.keys(ROW_LABELS) as RowId[]).map((id) => [id, row(ROW_LABELS[id])])) as Record<RowId, [Cell, Cell]>;
  return { cells, output };
}

const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);

/** ipykernel, timed with the same client and steps; Python's counterparts of the TypeScript cells. */
async function ipykernel(ctx: Context): Promise<Record<RowId, Cell>> {
  const python = join(packageRoot, '.venv', 'bin', 'python');
  const argv = (f: string) => [python, '-m', 'ipykernel_launcher', '-f', f];
  const none = missing('a Python kernel has no TypeScript code cache');
  try {
    if (!existsSync(python)) throw new Error('the Python environment .venv is missing (scripts/setup-python.sh)');
    const t = await timeKernel(ctx.dir, argv, '1 + 1', ctx.scale.kernelStarts, ctx.scale.kernelExecutes);
    const completion: number[] = [];
    const typed: number[] = [];
    for (let i = 0; i < ctx.scale.kernelStarts; i++) {
      completion.push(await firstCompletion(ctx.dir, argv, 'str.jo'));
      typed.push(await firstCell(ctx.dir, argv, 'x: int = 1; x'));
    }
    return { start: figure(t.start, 'ms', 1), completion: figure(completion, 'ms', 1), typed: figure(typed, 'ms', 1), typedCold: none, execute: figure(t.execute, 'ms', 1) };
  } catch (e) {
    const m = missing(errorLine(e));
    return { start: m, completion: m, typed: m, typedCold: none, execute: m };
  }
}

export async function kernelCase(ctx: Context): Promise<Section> {
  // start-up times scale with what else the machine runs: say how busy it was
  const load = `${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;
  ctx.log('kernel: bench/kernel.ts (Windowpane, tslab)');
  const theirs = kernelBench(ctx);
  ctx.log('kernel: ipykernel');
  const ipy = await ipykernel(ctx);
  // when bench/kernel.ts cannot finish, the same client times Windowpane and tslab's start and round trip
  let fallback: Record<'start' | 'execute', [Cell, Cell]> | undefined;
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
    fallback = { start: [w[0], t[0]], execute: [w[1], t[1]] };
  }
  const ours = (k: RowId, i: 0 | 1): Cell => {
    if (!('error' in theirs)) return theirs.cells[k][i];
    return k === 'start' || k === 'execute' ? fallback![k][i] : missing(theirs.error);
  };
  const row = (id: RowId, name: string) => ({ name, cells: { Windowpane: ours(id, 0), tslab: ours(id, 1), ipykernel: ipy[id] } });
  return {
    id: 'kernel', title: 'Kernel: start, first completion, first cell, execute round trip', columns: ['Windowpane', 'tslab', 'ipykernel'],
    rows: [
      row('start', 'process start → first kernel_info_reply'),
      row('completion', 'process start → first completion with matches (`Math.ma`; ipykernel `str.jo`)'),
      row('typed', 'process start → first typed cell done (`const x: number = 1; x`; ipykernel `x: int = 1; x`)'),
      row('typedCold', 'the same, no TypeScript code cache yet (a machine\'s first kernel)'),
      row('execute', 'execute `1 + 1` → execute_reply and idle'),
    ],
    ratioTo: 'tslab', higherIsBetter: false,
    notes: [
      ...('error' in theirs ? [`bench/kernel.ts did not finish in this run (${theirs.error}); Windowpane (node dist/kernel/main.js) and tslab were timed instead by the suite's client, the same way as ipykernel, for start and round trip only.`] : []),
      `The machine's 1-minute load average when this section started: ${load}; start-up figures grow with it.`,
      `Every "process start →" figure is from a new kernel process, one per sample (${ctx.scale.kernelStarts} each): the first completion is asked right after the first kernel_info_reply and asked again at once until a reply has matches; the first cell is sent right after the first kernel_info_reply. Goals (issue 15): first completion ≤ 300 ms, first cell ≤ 1 s. Windowpane keeps TypeScript's compiled code in a V8 code cache (~/.cache/windowpane) after its first kernel; the "no code cache" row gives each start an empty cache folder.`,
      `Windowpane and tslab: bench/kernel.ts (the kernel's own benchmark, ${ctx.scale.kernelStarts} starts per row, ${ctx.scale.kernelExecutes} executes after three warm-up cells), run unchanged inside this suite; its Windowpane kernel is dist/kernel/main.js, built at the start of the run. ipykernel: \`python -m ipykernel_launcher\` from .venv, timed by bench/suite/kernel/client.ts with the same wire code and steps, the same counts. All three are driven over ZeroMQ on 127.0.0.1 by this Node process.`,
    ],
  };
}
