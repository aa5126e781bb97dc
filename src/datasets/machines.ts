/**
 * Predictive maintenance (generated, seeded): machines report temperature, vibration and speed every
 * minute. History is normal operation; in the live part a few machines start to wear — vibration
 * creeps up and they run hotter — which rolling statistics against the historical baseline show.
 */
import { join } from 'node:path';
import { cachedDataset, type Cell } from './files.js';
import { Random, round } from './random.js';
import { DAY, HOUR, writeSplit } from './split.js';
import type { SplitDataset } from './types.js';

export interface MachinesOptions {
  readonly machines?: number;
  readonly historyDays?: number;
  readonly liveHours?: number;
  /** Machines that wear in the live part (default 2). */
  readonly failing?: number;
  readonly seed?: number;
  readonly dir?: string;
}

const START = Date.parse('2026-05-04T00:00:00Z');
const MINUTE = 60_000;

export async function machines(options: MachinesOptions = {}): Promise<SplitDataset> {
  const count = options.machines ?? 8;
  const historyDays = options.historyDays ?? 3;
  const liveHours = options.liveHours ?? 12;
  const failing = Math.min(options.failing ?? 2, count);
  const seed = options.seed ?? 31;
  const split = START + historyDays * DAY;
  const end = split + liveHours * HOUR;
  const folder = await cachedDataset('machines', { count, historyDays, liveHours, failing, seed }, options.dir, async (conn, dir) => {
    const rnd = new Random(seed);
    const rows: Cell[][] = [];
    for (let m = 0; m < count; m++) {
      const machine = `press-${String(m + 1).padStart(2, '0')}`;
      const vib = 2 + rnd.next() * 1.5;
      const temp = 55 + rnd.normal(0, 3);
      const rpm = 1450 + rnd.int(0, 100);
      // the last `failing` machines wear: from a random point in the live part, a linear drift
      const wearFrom = m >= count - failing ? split + rnd.next() * (end - split) * 0.4 : Infinity;
      for (let t = START + rnd.int(0, 59) * 1000; t < end; t += MINUTE) {
        const wear = t > wearFrom ? (t - wearFrom) / HOUR : 0;
        const daily = Math.sin((2 * Math.PI * (t % DAY)) / DAY);
        rows.push([t, machine, round(temp + 2 * daily + 0.4 * wear + rnd.normal(0, 0.6)), round(vib * (1 + 0.04 * wear) + rnd.normal(0, 0.15), 3), Math.round(rpm - 2 * wear + rnd.normal(0, 5))]);
      }
    }
    const columns = { ts: 'TIMESTAMP', machine_id: 'VARCHAR', temperature: 'DOUBLE', vibration: 'DOUBLE', rpm: 'INTEGER' } as const;
    await writeSplit(conn, dir, 'readings', { columns, rows }, 'ts', split, ['ts', 'machine_id']);
  });
  return { history: join(folder, 'history.parquet'), live: join(folder, 'live.parquet'), split: new Date(split).toISOString(), time: 'ts' };
}
