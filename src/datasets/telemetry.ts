/**
 * IoT telemetry (generated, seeded): devices report every ~15 s while active, in sessions of 10–40
 * minutes separated by 15–90 minutes of silence. `ts` is when a reading was taken, `received_at`
 * when it reached the platform: usually a second later, but a few devices lose their link and
 * deliver a backlog minutes late — late data (one such outage always spans the split). Files are
 * split and replayed by `received_at`.
 */
import { join } from 'node:path';
import { cachedDataset, type Cell } from './files.js';
import { Random, round } from './random.js';
import { HOUR, writeSplit } from './split.js';
import type { SplitDataset } from './types.js';

export interface TelemetryOptions {
  readonly devices?: number;
  readonly historyHours?: number;
  readonly liveHours?: number;
  readonly seed?: number;
  readonly dir?: string;
}

const START = Date.parse('2026-03-02T00:00:00Z');
const device = (d: number) => `sensor-${String(d).padStart(3, '0')}`;
const MINUTE = 60_000;

export interface TelemetryDataset extends SplitDataset {
  /** The arrival-time column: files are split and replayed in this order. */
  readonly arrival: string;
}

export async function telemetry(options: TelemetryOptions = {}): Promise<TelemetryDataset> {
  const devices = options.devices ?? 20;
  const historyHours = options.historyHours ?? 24;
  const liveHours = options.liveHours ?? 6;
  const seed = options.seed ?? 11;
  const split = START + historyHours * HOUR;
  const end = split + liveHours * HOUR;
  const folder = await cachedDataset('telemetry', { devices, historyHours, liveHours, seed }, options.dir, async (conn, dir) => {
    const rnd = new Random(seed);
    const rows: Cell[][] = [];
    for (let d = 0; d < devices; d++) {
      const id = device(d);
      const base = 35 + rnd.normal(0, 4);
      let battery = 100 - rnd.int(0, 30);
      let t = START + rnd.next() * 30 * MINUTE;
      while (t < end) {
        // 1. one session: readings every ~15 s; sometimes the link drops and the rest arrives late
        const sessionEnd = t + (10 + rnd.next() * 30) * MINUTE;
        const outage = rnd.chance(0.3) ? (4 + rnd.next() * 11) * MINUTE : 0;
        const outageFrom = t + rnd.next() * (sessionEnd - t);
        for (; t < sessionEnd && t < end; t += 12_000 + rnd.next() * 6_000) {
          const delay = outage > 0 && t >= outageFrom ? outage : 200 + rnd.next() * 2_800;
          rows.push([Math.floor(t), Math.floor(t + delay), id, round(base + rnd.normal(0, 1.5)), round(battery, 1)]);
          battery = Math.max(5, battery - 0.01);
        }
        // 2. silence until the next session
        t = sessionEnd + (15 + rnd.next() * 75) * MINUTE;
      }
    }
    // 3. so that every run has late data: around the split, the first two devices are active; the
    //    first loses its link for its last 15 minutes before the split and delivers them just after
    if (devices >= 2) {
      const around = (r: Cell[]) => (r[2] === device(0) || r[2] === device(1)) && (r[0] as number) >= split - 40 * MINUTE && (r[0] as number) < split + 10 * MINUTE;
      const kept = rows.filter((r) => !around(r));
      for (const d of [0, 1]) {
        for (let t = split - 40 * MINUTE + d * 7_000; t < split + 10 * MINUTE; t += 15_000) {
          const outage = d === 0 && t >= split - 15 * MINUTE && t < split;
          kept.push([t, outage ? split + MINUTE + (t % 60_000) : t + 1_000, device(d), round(38 + rnd.normal(0, 1.5)), 80]);
        }
      }
      rows.splice(0, rows.length, ...kept);
    }
    const columns = { ts: 'TIMESTAMP', received_at: 'TIMESTAMP', device_id: 'VARCHAR', temperature: 'DOUBLE', battery: 'DOUBLE' } as const;
    await writeSplit(conn, dir, 'telemetry', { columns, rows }, 'received_at', split, ['received_at', 'device_id', 'ts']);
  });
  return { history: join(folder, 'history.parquet'), live: join(folder, 'live.parquet'), split: new Date(split).toISOString(), time: 'ts', arrival: 'received_at' };
}
