/**
 * Scale-out: Nexmark q5, q7 and q8 (their windowed cores, the same SQL on both engines) and the live
 * saturation case on the local engine and on `engine: 'flink'` with one and with two TaskManagers
 * (parallelism 1 and 2 on the local two-TaskManager cluster), in the same run on the same data.
 * Throughput is wall clock from sql() to the last result, so Flink's planning and job start count;
 * the live case measures what each keeps up with, and at what latency.
 */
import { startCluster, stopCluster } from '../../../src/local-flink/cluster.js';
import { FlinkGateway } from '../../../src/flink/gateway.js';
import { resolveGateway } from '../../../src/flink/settings.js';
import { source, sql, type QueryRunOptions } from '../../../src/index.js';
import { NEXMARK_SCHEMA } from '../../nexmark/encode.js';
import { produceNexmark } from '../../nexmark/produce.js';
import { PORTABLE_QUERIES } from '../../nexmark/queries.js';
import type { Context } from '../context.js';
import { startOurs } from '../live/systems.js';
import { figure, missing, type Cell, type Row, type Section } from '../report.js';
import { measure, WINDOW_MS, type RunFigures } from './live.js';

const ENGINES = {
  'local engine': {},
  'Flink, 1 TaskManager (parallelism 1)': { parallelism: 1 },
  'Flink, 2 TaskManagers (parallelism 2)': { parallelism: 2 },
} as const;
type EngineName = keyof typeof ENGINES;
const NAMES = Object.keys(ENGINES) as EngineName[];

function options(ctx: Context, engine: EngineName): QueryRunOptions {
  const flink = ENGINES[engine];
  return 'parallelism' in flink ? { engine: 'flink', flink: { parallelism: flink.parallelism, brokers: ctx.brokers } } : {};
}

const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);

/** One Nexmark query over the whole backlog: events/s wall clock, and seconds until sql() resolved. */
async function nexmarkRun(ctx: Context, topic: string, q: (typeof PORTABLE_QUERIES)[number], events: number, engine: EngineName): Promise<{ rate: number; submitS: number; rows: number }> {
  const nexmark = source({ name: 'nexmark', time: 'dateTime', maxOutOfOrderness: '4 seconds', history: { kafkaBacklog: true }, live: { topic }, schema: NEXMARK_SCHEMA });
  const t0 = performance.now();
  const query = await sql(q.sql, { sources: { nexmark, ...q.sources?.build(nexmark) }, kafka: ctx.kafka, until: 'caughtUp', ...options(ctx, engine) });
  const submitS = (performance.now() - t0) / 1000;
  try {
    const rows = (await query.collect()).length;
    return { rate: events / ((performance.now() - t0) / 1000), submitS, rows };
  } finally {
    await query.close();
  }
}

async function liveRun(ctx: Context, rate: number, engine: EngineName): Promise<RunFigures> {
  const input = await ctx.createTopic('scaleout-live', 1);
  const running = await startOurs(ctx, input, WINDOW_MS, options(ctx, engine));
  try {
    // Flink's rows come with checkpoints (every 2 s): wait for the last closable window a little longer
    return await measure(ctx, running, input, rate, ctx.scale.liveSeconds, 8000);
  } finally {
    await running.stop().catch(() => undefined);
    await ctx.deleteTopic(input);
  }
}

export async function scaleoutCase(ctx: Context): Promise<Section> {
  // the local cluster, started for this case unless one runs (or WINDOWPANE_FLINK_GATEWAY names one)
  let started = false;
  try {
    await new FlinkGateway(resolveGateway()).info();
  } catch {
    ctx.log('scale-out: starting the local Flink cluster');
    started = (await startCluster({ log: ctx.log })).started;
  }
  const s = ctx.scale.flink;
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const n = s.nexmarkEvents;
    const topic = await ctx.createTopic('scaleout-nexmark', 2);
    await produceNexmark(ctx.kafka, topic, n);
    for (const q of PORTABLE_QUERIES) {
      const rates: Record<string, number[]> = {};
      const submit: Record<string, number[]> = {};
      const failed: Record<string, string> = {};
      const counts = new Set<number>();
      for (let i = 0; i < s.repeats; i++) {
        for (const e of NAMES) {
          if (failed[e]) continue;
          try {
            const m = await nexmarkRun(ctx, topic, q, n, e);
            (rates[e] ??= []).push(m.rate);
            (submit[e] ??= []).push(m.submitS);
            counts.add(m.rows);
            ctx.log(`scale-out ${q.id} on ${e}: ${Math.round(m.rate)} events/s, submitted in ${m.submitS.toFixed(1)} s, ${m.rows} rows`);
          } catch (err) {
            failed[e] = errorLine(err);
            ctx.log(`scale-out ${q.id} on ${e} failed: ${failed[e]}`);
          }
        }
      }
      const cell = (e: EngineName, v: Record<string, number[]>, unit: string, digits = 0): Cell => {
        const why = failed[e];
        return why ? missing(why) : figure(v[e] ?? [], unit, digits);
      };
      rows.push({ name: `${q.id} ${q.name} (${[...counts].join(' / ')} result rows)`, cells: Object.fromEntries(NAMES.map((e) => [e, cell(e, rates, 'events/s')])) });
      rows.push({ name: `${q.id}: sql() until the query runs`, cells: Object.fromEntries(NAMES.map((e) => [e, cell(e, submit, 's', 1)])) });
      notes.push(`${q.id}: ${q.differs}. \`${q.sql}\`${q.sources ? ` with ${q.sources.how}` : ''}.`);
    }
    await ctx.deleteTopic(topic);
    for (const rate of s.liveRates) {
      const figs: Record<string, RunFigures[]> = {};
      const failed: Record<string, string> = {};
      for (let i = 0; i < s.repeats; i++) {
        for (const e of NAMES) {
          if (failed[e]) continue;
          try {
            const f = await liveRun(ctx, rate, e);
            (figs[e] ??= []).push(f);
            ctx.log(`scale-out live ${rate}/s on ${e}: sustained ${Math.round(f.sustained)}, p50 ${f.p50} ms, p99 ${f.p99} ms${f.complete ? '' : ' (incomplete)'}`);
            if (!f.complete) notes.push(`At ${rate.toLocaleString('en-US')} events/s, run ${i + 1}, ${e} had not emitted every measured window by the end of the run.`);
          } catch (err) {
            failed[e] = errorLine(err);
          }
        }
      }
      const cell = (e: EngineName, pick: (f: RunFigures) => number, unit: string): Cell => {
        const why = failed[e];
        return why ? missing(why) : figure((figs[e] ?? []).map(pick).filter(Number.isFinite), unit);
      };
      const r = rate.toLocaleString('en-US');
      rows.push({ name: `live ${r} events/s: sustained`, cells: Object.fromEntries(NAMES.map((e) => [e, cell(e, (f) => f.sustained, 'events/s')])) });
      rows.push({ name: `live ${r} events/s: latency p50`, cells: Object.fromEntries(NAMES.map((e) => [e, cell(e, (f) => f.p50, 'ms')])) });
      rows.push({ name: `live ${r} events/s: latency p99`, cells: Object.fromEntries(NAMES.map((e) => [e, cell(e, (f) => f.p99, 'ms')])) });
    }
  } finally {
    if (started) await stopCluster();
  }
  notes.unshift(
    `Nexmark: ${s.nexmarkEvents.toLocaleString('en-US')} events (the generator of the Nexmark section), 2 partitions, each query over the whole backlog (\`until: 'caughtUp'\`); events/s = events / wall clock from sql() to the last result row, so Flink's planning, staging, job start and its checkpointed result delivery count. "sql() until the query runs": the wall clock until sql() resolved (on Flink: the job submitted and running).`,
    `Live: the workload of the live section (one partition, 10 keys, a fixed rate for ${ctx.scale.liveSeconds} s, count per key in 1-second tumbling windows), with \`GROUP BY window_start, window_end, key\`; on Flink the rows reach the query at each checkpoint (every 2 s by default), which sets the latency.`,
    'Flink: the local cluster of `windowpane flink start` (Flink 2.2.1; a JobManager, two TaskManagers of 1 GB with one slot each, the SQL Gateway), on the same 2-core machine as Kafka and the benchmark; parallelism 1 runs on one TaskManager, 2 on both. The local engine runs in the benchmark process.',
  );
  return { id: 'scaleout', title: "Scale-out: Nexmark and live saturation on engine 'flink'", columns: [...NAMES], rows, higherIsBetter: true, direction: 'events/s: higher is better. Seconds and latency: lower is better.', notes };
}
