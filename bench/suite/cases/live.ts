/**
 * Live windowed aggregation: a producer process sends events at a fixed rate (event time = the
 * wall clock) into a fresh topic; each system counts events per key in 1-second tumbling windows
 * and emits one final row per window and key when the window closes. Per run: the sustained rate
 * (events in the measured windows' results / their span) and the latency of each final row
 * (arrival at the benchmark − window end, i.e. from the moment the window could close).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { percentile } from '../../stats.js';
import type { Context } from '../context.js';
import { buildPeer, startPeer, type PeerKind } from '../live/peers.js';
import { startOurs, type RunningSystem } from '../live/systems.js';
import { figure, missing, type Cell, type Row, type Section } from '../report.js';

export const WINDOW_MS = 1000;
export const KEYS = 10;
const WARM_UP_MS = 5000; // windows ending in the first seconds are not measured (JVM and consumer start-up)
export const SYSTEMS = ['Windowpane', 'Kafka Streams', 'Flink'] as const;
export type SystemName = (typeof SYSTEMS)[number];
export const PEER: Record<Exclude<SystemName, 'Windowpane'>, PeerKind> = { 'Kafka Streams': 'kstreams', Flink: 'flink' };

export interface Produced {
  readonly sent: number;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly perWindow: Readonly<Record<string, number>>;
}

export interface RunFigures {
  readonly sustained: number;
  readonly p50: number;
  readonly p99: number;
  readonly complete: boolean;
  /** Events the producer sent per second over the run (below the offered rate when it could not keep up). */
  readonly offered: number;
  /** The system's CPU over the run, in cores (CPU time / wall time), and the events it took per CPU second. */
  readonly cores: number;
  readonly eventsPerCpuSecond: number;
}

/** CPU the system used from the first produced event to its last final row. */
interface CpuSpan {
  readonly cpuMs: number;
  readonly wallMs: number;
}

export function produce(ctx: Context, topic: string, rate: number, seconds: number): Promise<Produced> {
  const script = fileURLToPath(new URL('../live/producer.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, ctx.brokers, topic, String(rate), String(seconds), String(KEYS), String(WINDOW_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Produced) : reject(new Error(`producer exited ${code}: ${err.split('\n').find((l) => l.startsWith('producer:')) ?? err.slice(-300)}`))));
  });
}

/** Figures over the windows that closed during the run, after the warm-up. */
export function evaluate(p: Produced, results: RunningSystem['results'], cpu: CpuSpan): RunFigures {
  const first = p.firstMs + WARM_UP_MS;
  const windows = Object.keys(p.perWindow).map(Number).filter((w) => w >= first && w + WINDOW_MS <= p.lastMs);
  const measured = new Set(windows);
  const rows = results.filter((r) => measured.has(r.windowStart));
  const expected = windows.reduce((s, w) => s + p.perWindow[w]!, 0);
  const counted = rows.reduce((s, r) => s + r.count, 0);
  const latencies = rows.map((r) => r.arrivedMs - r.windowEnd);
  return {
    sustained: counted / ((windows.length * WINDOW_MS) / 1000),
    p50: latencies.length ? percentile(latencies, 50) : NaN,
    p99: latencies.length ? percentile(latencies, 99) : NaN,
    complete: counted === expected && rows.length === windows.length * KEYS,
    offered: p.sent / Math.max(1, (p.lastMs - p.firstMs) / 1000),
    cores: cpu.cpuMs / cpu.wallMs,
    eventsPerCpuSecond: p.sent / (cpu.cpuMs / 1000),
  };
}

/**
 * Produces at `rate` for `seconds` into `input` while `running` consumes it; waits up to `tailMs`
 * for the last closable window, and evaluates the run with the system's CPU over it.
 */
export async function measure(ctx: Context, running: RunningSystem, input: string, rate: number, seconds: number, tailMs: number): Promise<RunFigures> {
  const cpu0 = running.cpuMs();
  const wall0 = Date.now();
  const produced = await produce(ctx, input, rate, seconds);
  // the last closable windows: give the system a moment to emit them
  const until = Date.now() + tailMs;
  const last = produced.lastMs - (produced.lastMs % WINDOW_MS) - WINDOW_MS;
  while (Date.now() < until && !running.results.some((r) => r.windowStart >= last)) await new Promise((r) => setTimeout(r, 50));
  const cpu = { cpuMs: running.cpuMs() - cpu0, wallMs: Date.now() - wall0 };
  await new Promise((r) => setTimeout(r, 300));
  const failure = running.failure();
  if (failure) throw new Error(failure);
  return evaluate(produced, running.results, cpu);
}

export async function runOnce(ctx: Context, system: SystemName, classpath: string | undefined, rate: number, partitions = 1, seconds = ctx.scale.liveSeconds): Promise<RunFigures> {
  const input = await ctx.createTopic('live-in', partitions);
  const output = await ctx.createTopic('live-out', 1);
  let running: RunningSystem | undefined;
  try {
    running = system === 'Windowpane' ? await startOurs(ctx, input, WINDOW_MS) : await startPeer(ctx, PEER[system], classpath!, input, output, WINDOW_MS);
    const f = await measure(ctx, running, input, rate, seconds, 3000);
    ctx.log(`live ${rate}/s ${system}: offered ${Math.round(f.offered)}/s, ${running.results.length} final rows, ${f.cores.toFixed(2)} cores`);
    return f;
  } finally {
    await running?.stop().catch(() => undefined);
    await ctx.deleteTopic(input);
    await ctx.deleteTopic(output);
  }
}

export const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 400);

export async function liveCase(ctx: Context): Promise<Section> {
  const classpaths: Partial<Record<SystemName, string>> = {};
  const failures: Partial<Record<SystemName, string>> = {};
  for (const s of ['Kafka Streams', 'Flink'] as const) {
    try {
      ctx.log(`live: building the ${s} peer with Maven`);
      classpaths[s] = buildPeer(PEER[s]);
    } catch (e) {
      failures[s] = `build failed: ${errorLine(e)}`;
    }
  }
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const rate of ctx.scale.liveRates) {
    const figs: Record<string, RunFigures[]> = {};
    const runFailures: Partial<Record<SystemName, string>> = {};
    for (let i = 0; i < ctx.scale.liveRepeats; i++) {
      for (const s of SYSTEMS) {
        if (failures[s] || runFailures[s]) continue;
        try {
          const f = await runOnce(ctx, s, classpaths[s], rate);
          (figs[s] ??= []).push(f);
          if (!f.complete) notes.push(`At ${rate.toLocaleString('en-US')} events/s, run ${i + 1}, ${s} had not emitted every measured window (or counted differently) by the end of the run.`);
          ctx.log(`live ${rate}/s ${s}: sustained ${Math.round(f.sustained)} ev/s, p50 ${f.p50} ms, p99 ${f.p99} ms${f.complete ? '' : ' (incomplete)'}`);
        } catch (e) {
          runFailures[s] = errorLine(e);
          ctx.log(`live ${rate}/s ${s} failed: ${errorLine(e)}`);
        }
      }
    }
    const cell = (s: SystemName, pick: (f: RunFigures) => number, unit: string): Cell => {
      const reason = failures[s] ?? runFailures[s];
      if (reason) return missing(reason);
      return figure((figs[s] ?? []).map(pick).filter(Number.isFinite), unit);
    };
    const r = rate.toLocaleString('en-US');
    rows.push({ name: `${r} events/s: sustained`, cells: Object.fromEntries(SYSTEMS.map((s) => [s, cell(s, (f) => f.sustained, 'events/s')])) });
    rows.push({ name: `${r} events/s: latency p50`, cells: Object.fromEntries(SYSTEMS.map((s) => [s, cell(s, (f) => f.p50, 'ms')])) });
    rows.push({ name: `${r} events/s: latency p99`, cells: Object.fromEntries(SYSTEMS.map((s) => [s, cell(s, (f) => f.p99, 'ms')])) });
  }
  notes.unshift(
    `Workload: one partition, ${KEYS} keys, JSON values \`{"ts": <epoch ms>, "key": "k3", "value": 17}\`, event time = produce time, produced at a fixed rate for ${ctx.scale.liveSeconds} s by a separate Node process (kafkajs, acks=1). Query: count per key in ${WINDOW_MS / 1000}-second tumbling windows, no allowed out-of-orderness, one final row per window and key. Sustained: events counted in the final rows of the windows that closed during the run (after a ${WARM_UP_MS / 1000}-second warm-up), divided by their span; it equals the offered rate when the system keeps up. Latency: arrival of the final row at the benchmark minus the window end (the earliest moment the window can close); the figure is the median over runs of each run's p50 or p99.`,
    'Windowpane runs in the benchmark process (`sql()` over a live source, `emit: \'final\'`, rows taken from `changelog()`). Kafka Streams 4.1 (`TimeWindows.ofSizeWithNoGrace` + `suppress(untilWindowCloses)`, commit interval 100 ms, otherwise defaults) and Flink (local mini cluster, parallelism 1, bounded-out-of-orderness watermarks of 0, KafkaSink) run as their own JVMs and write to an output topic that the benchmark reads; both take the key and event time from the record key and timestamp instead of parsing the JSON value, which Windowpane does.',
  );
  return { id: 'live', title: 'Live windowed aggregation at fixed rates', columns: [...SYSTEMS], rows, ratioTo: 'Kafka Streams', higherIsBetter: false, direction: 'Sustained: higher is better (it cannot exceed the offered rate). Latency: lower is better.', notes };
}
