/**
 * Live saturation: the highest rate each system sustains for 30 s with the p99 latency of its final
 * rows at most 1 s. The offered rate starts at START_RATE and steps up ×1.5 until the system falls
 * behind (it misses a measured window or count, or its p99 passes 1 s); the figure is the last rate
 * it kept up with. The workload and the measurement are the live case's (cases/live.ts), on a topic
 * of 1 and of 2 partitions. A step at which the producer itself could not send the offered rate ends
 * that system's stepping, is the last step tried for the systems after it at that partition count,
 * and the figure says so. Each step also records the system's CPU (cores, events per CPU second).
 */
import type { Context } from '../context.js';
import { buildPeer } from '../live/peers.js';
import { figure, missing, type Cell, type Row, type Section } from '../report.js';
import { errorLine, KEYS, PEER, runOnce, SYSTEMS, WINDOW_MS, type RunFigures, type SystemName } from './live.js';

/** The ladder of 5,000 × 1.5ⁿ from its fourth step: every system here keeps up with the steps below. */
const START_RATE = 16_875;
const STEP = 1.5;
const P99_LIMIT_MS = 1000;
/** The producer counts as keeping up while it sends at least this share of the offered rate. */
const PRODUCER_SHARE = 0.97;

interface Outcome {
  /** The highest rate kept up with (0: not even the first). */
  readonly best: number;
  readonly bestFigures: RunFigures | undefined;
  /** Why the stepping stopped. */
  readonly stop: string;
  /** The rate the producer could not offer (while this system ran), if that ended the stepping. */
  readonly producerShort?: number;
}

const keptUp = (f: RunFigures): boolean => f.complete && f.p99 <= P99_LIMIT_MS;

async function saturate(ctx: Context, system: SystemName, classpath: string | undefined, partitions: number, maxRate: number): Promise<Outcome> {
  let best = 0;
  let bestFigures: RunFigures | undefined;
  for (let rate = START_RATE; rate <= maxRate; rate = Math.round(rate * STEP)) {
    let f: RunFigures;
    try {
      f = await runOnce(ctx, system, classpath, rate, partitions, ctx.scale.saturationSeconds);
    } catch (e) {
      return { best, bestFigures, stop: `failed at ${rate.toLocaleString('en-US')}/s: ${errorLine(e)}` };
    }
    ctx.log(`saturation ${partitions}p ${system} ${rate}/s: offered ${Math.round(f.offered)}, sustained ${Math.round(f.sustained)}, p99 ${f.p99} ms, ${f.cores.toFixed(2)} cores${f.complete ? '' : ' (incomplete)'}`);
    if (f.offered < rate * PRODUCER_SHARE) return { best, bestFigures, producerShort: rate, stop: `the producer sent only ${Math.round(f.offered).toLocaleString('en-US')}/s of ${rate.toLocaleString('en-US')}/s` };
    if (!keptUp(f)) return { best, bestFigures, stop: `fell behind at ${rate.toLocaleString('en-US')}/s (p99 ${Math.round(f.p99)} ms${f.complete ? '' : ', windows missed or late'})` };
    best = rate;
    bestFigures = f;
  }
  return { best, bestFigures, stop: `kept up to the highest step tried (${maxRate.toLocaleString('en-US')}/s)` };
}

export async function saturationCase(ctx: Context): Promise<Section> {
  const classpaths: Partial<Record<SystemName, string>> = {};
  const failures: Partial<Record<SystemName, string>> = {};
  for (const s of ['Kafka Streams', 'Flink'] as const) {
    try {
      classpaths[s] = buildPeer(PEER[s]);
    } catch (e) {
      failures[s] = `build failed: ${errorLine(e)}`;
    }
  }
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const partitions of [1, 2]) {
    // the producer's ceiling caps every system: a rate it could not offer is the last step tried for
    // the systems after (it shares the machine with the system under test, so it may offer that
    // rate beside a system that needs less CPU)
    let maxRate = ctx.scale.saturationMaxRate;
    const outcomes: Partial<Record<SystemName, Outcome>> = {};
    for (const s of SYSTEMS) {
      if (failures[s]) continue;
      const o = await saturate(ctx, s, classpaths[s], partitions, maxRate);
      outcomes[s] = o;
      if (o.producerShort !== undefined) maxRate = Math.min(maxRate, o.producerShort);
      notes.push(`${partitions} partition${partitions > 1 ? 's' : ''}, ${s}: ${o.best.toLocaleString('en-US')} events/s; stopped: ${o.stop}.`);
    }
    const cell = (s: SystemName, pick: (o: Outcome) => number | undefined, unit: string, digits = 0): Cell => {
      const o = outcomes[s];
      if (!o) return missing(failures[s] ?? 'not run');
      const v = pick(o);
      return v === undefined || !Number.isFinite(v) || o.best === 0 ? missing(`below ${START_RATE.toLocaleString('en-US')}/s: ${o.stop}`) : figure([v], unit, digits);
    };
    const label = `${partitions} partition${partitions > 1 ? 's' : ''}`;
    rows.push({ name: `${label}: highest rate sustained`, cells: Object.fromEntries(SYSTEMS.map((s) => [s, cell(s, (o) => o.best, 'events/s')])) });
    rows.push({ name: `${label}: p99 at that rate`, cells: Object.fromEntries(SYSTEMS.map((s) => [s, cell(s, (o) => o.bestFigures?.p99, 'ms')])) });
    // when the producer caps every system at the same rate, the CPU each needed for it still tells them apart
    rows.push({ name: `${label}: CPU at that rate (cores)`, cells: Object.fromEntries(SYSTEMS.map((s) => [s, cell(s, (o) => o.bestFigures?.cores, 'cores', 2)])) });
    rows.push({ name: `${label}: events per CPU second at that rate`, cells: Object.fromEntries(SYSTEMS.map((s) => [s, cell(s, (o) => o.bestFigures?.eventsPerCpuSecond, 'events/CPU s')])) });
  }
  notes.unshift(
    `Offered rates from ${START_RATE.toLocaleString('en-US')} events/s, ×${STEP} per step, ${ctx.scale.saturationSeconds} s each, until a system falls behind: it keeps up at a rate when every measured window's final rows arrive with every event counted and the p99 of their latency is at most ${P99_LIMIT_MS} ms. The workload is the live case's (${KEYS} keys, JSON values, count per key in ${WINDOW_MS / 1000}-second tumbling windows, one final row per window and key), on a fresh topic of 1 or 2 partitions per step (the producer's default partitioner spreads the keys). Each figure is one stepping (n=1): the last rate kept up with. CPU: the system's CPU time (every thread of its process: Windowpane's is the benchmark process with DuckDB's threads, the peers' their JVM from /proc) from the first produced event to its last final row, divided by that wall time; events per CPU second is the events produced over that CPU time. On a machine whose producer caps every system at the same rate, that is the figure that compares them.`,
  );
  return { id: 'saturation', title: 'Live saturation: the highest rate sustained with p99 ≤ 1 s', columns: [...SYSTEMS], rows, ratioTo: 'Kafka Streams', higherIsBetter: true, direction: 'Rate: higher is better. p99: lower is better.', notes };
}
