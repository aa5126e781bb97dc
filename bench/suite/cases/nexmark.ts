/**
 * Nexmark over Kafka: the generator fills one topic (2 partitions) once per run; each query then
 * runs in Windowpane over that topic's backlog to the end (history { kafkaBacklog: true },
 * until 'caughtUp', flushed); q0–q2, which have no window, run as stateless pipelines over the same
 * backlog writing every result record to a Kafka topic. Events/s per core = events / CPU seconds of this process over the run
 * (DuckDB's threads included); the published Flink figures are quoted beside them for reference.
 */
import { encodeEvent } from '../../nexmark/encode.js';
import { NEXMARK_SCHEMA } from '../../nexmark/encode.js';
import { produceNexmark } from '../../nexmark/produce.js';
import { FLINK_PER_CORE, FLINK_REFERENCE_SOURCE, NEXMARK_QUERIES, type NexmarkQuery } from '../../nexmark/queries.js';
import { NexmarkGenerator } from '../../nexmark/generator.js';
import { kafkaSink, pipeline, source, sql } from '../../../src/index.js';
import type { Context } from '../context.js';
import { copyBacklog } from './nexmarkCopy.js';
import { figure, missing, type Cell, type Row, type Section } from '../report.js';

const PARTITIONS = 2;
const COLUMNS = ['Windowpane, per core', 'Windowpane, wall clock', 'Flink 1.13, per core (published)'] as const;

interface Measured {
  readonly perCore: number;
  readonly wall: number;
  readonly rows: number;
}

const nexmarkSource = (topic: string) => source({ name: 'nexmark', time: 'dateTime', maxOutOfOrderness: '4 seconds', history: { kafkaBacklog: true }, live: { topic }, schema: NEXMARK_SCHEMA });

/** A stateless query: the pipeline over the backlog into a fresh output topic, timed until every record is written. */
async function runPipeline(ctx: Context, topic: string, text: string, events: number): Promise<Measured> {
  const out = await ctx.createTopic('nexmark-out', PARTITIONS);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const p = await pipeline(text, { sources: { nexmark: nexmarkSource(topic) }, until: 'caughtUp', kafka: ctx.kafka });
  try {
    const written = await (await p.sink(kafkaSink({ topic: out, kafka: ctx.kafka }))).done;
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { perCore: events / ((cpu.user + cpu.system) / 1e6), wall: events / wallS, rows: written.messages };
  } finally {
    await p.close();
    await ctx.deleteTopic(out);
  }
}

async function runQuery(ctx: Context, topic: string, text: string, events: number, extra?: NexmarkQuery['sources']): Promise<Measured> {
  const nexmark = nexmarkSource(topic);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const q = await sql(text, { sources: { nexmark, ...extra?.build(nexmark) }, until: 'caughtUp', kafka: ctx.kafka });
  try {
    const rows = (await q.collect()).length;
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    return { perCore: events / cpuS, wall: events / wallS, rows };
  } finally {
    await q.close();
  }
}

const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/,? e\.g\.$/, '').slice(0, 300);
const resultRows = (n: number) => `${n.toLocaleString('en-US')} result ${n === 1 ? 'row' : 'rows'}`;

async function measure(ctx: Context, topic: string, text: string, events: number, stateless = false, extra?: NexmarkQuery['sources']): Promise<{ cells: Cell[]; rows: number } | { error: string }> {
  const perCore: number[] = [];
  const wall: number[] = [];
  let rows = 0;
  for (let i = 0; i < ctx.scale.repeats; i++) {
    try {
      const m = stateless ? await runPipeline(ctx, topic, text, events) : await runQuery(ctx, topic, text, events, extra);
      perCore.push(m.perCore);
      wall.push(m.wall);
      rows = m.rows;
    } catch (e) {
      return { error: errorLine(e) };
    }
  }
  return { cells: [figure(perCore, 'events/s'), figure(wall, 'events/s')], rows };
}

export async function nexmarkCase(ctx: Context): Promise<Section> {
  const n = ctx.scale.nexmarkEvents;
  const topic = await ctx.createTopic('nexmark', PARTITIONS);
  ctx.log(`nexmark: producing ${n.toLocaleString('en-US')} events`);
  const produced = await produceNexmark(ctx.kafka, topic, n);
  const gen = new NexmarkGenerator();
  const spanS = (gen.timestamp(n - 1) - gen.timestamp(0)) / 1000;
  // NEXMARK_QUERIES=q0,q1,q2 runs just those (while developing)
  const only = process.env.NEXMARK_QUERIES?.split(',');
  const rows: Row[] = [];
  const notes: string[] = [];
  // the baselines of the stateless queries: a plain copy of the backlog, by kafkajs's producer and
  // by the one the Kafka sink uses
  if (NEXMARK_QUERIES.some((q) => q.stateless && (!only || only.includes(q.id)))) {
    const copies = [
      ['kafkajs', 'the backlog copied by kafkajs alone'],
      ['sink', "the backlog copied by the Kafka sink's producer (@platformatic/kafka) alone"],
    ] as const;
    for (const [kind, what] of copies) {
      const perCore: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < ctx.scale.repeats; i++) {
        const m = await copyBacklog(ctx, topic, PARTITIONS, n, kind);
        perCore.push(m.perCore);
        wall.push(m.wall);
      }
      rows.push({ name: `baseline for q0–q2: ${what} (${resultRows(n)})`, cells: { [COLUMNS[0]]: figure(perCore, 'events/s'), [COLUMNS[1]]: figure(wall, 'events/s'), [COLUMNS[2]]: missing('not published') } });
    }
  }
  for (const q of NEXMARK_QUERIES.filter((x) => !only || only.includes(x.id))) {
    const published: Cell = { kind: 'text', text: FLINK_PER_CORE[q.id] ?? '' };
    const first = await measure(ctx, topic, q.sql, n, q.stateless, q.sources);
    if (q.sources) notes.push(`${q.id}: ${q.sources.how}. \`${q.sql}\``);
    if ('error' in first) {
      ctx.log(`nexmark ${q.id}: not supported: ${first.error}`);
      rows.push({ name: `${q.id} ${q.name}`, cells: { [COLUMNS[0]]: missing(`not supported: ${first.error}`), [COLUMNS[1]]: missing('not supported'), [COLUMNS[2]]: published } });
    } else {
      ctx.log(`nexmark ${q.id}: ${first.rows} result rows`);
      rows.push({ name: `${q.id} ${q.name} (${resultRows(first.rows)})`, cells: { [COLUMNS[0]]: first.cells[0]!, [COLUMNS[1]]: first.cells[1]!, [COLUMNS[2]]: published } });
    }
    if (q.rewrite && 'error' in first) {
      const second = await measure(ctx, topic, q.rewrite.sql, n);
      const name = `${q.id} rewritten without the join`;
      if ('error' in second) rows.push({ name, cells: { [COLUMNS[0]]: missing(`failed: ${second.error}`), [COLUMNS[2]]: published } });
      else {
        ctx.log(`nexmark ${q.id} (rewrite): ${second.rows} result rows`);
        rows.push({ name: `${name} (${resultRows(second.rows)})`, cells: { [COLUMNS[0]]: second.cells[0]!, [COLUMNS[1]]: second.cells[1]!, [COLUMNS[2]]: published } });
      }
      notes.push(`${q.id} rewritten: ${q.rewrite.why}. \`${q.rewrite.sql}\``);
    }
  }
  await ctx.deleteTopic(topic);
  const avg = Math.round(produced.bytes / n);
  notes.unshift(
    `Data: ${n.toLocaleString('en-US')} events from bench/nexmark (the reference generator's rules: persons, auctions and bids 1:3:46, hot auctions, bidders and sellers, log-uniform prices, padding to 200/500/100-byte average sizes, event time advancing at 10,000 events/s so ${Math.round(spanS)} s of event time; seed ${gen.config.seed}), JSON in the Flink Nexmark Kafka layout (${avg} bytes per event on average, e.g. \`${encodeEvent(gen.event(5)).slice(0, 90)}…\`), ${PARTITIONS} partitions, produced before the queries run. Each query reads the whole backlog (history \`{ kafkaBacklog: true }\`, \`until: 'caughtUp'\`, flushed), with a 4-second bounded out-of-orderness as in Nexmark's Flink DDL; the time includes reading Kafka, JSON parsing and typing, and the query.`,
    'q0, q1 and q2 have no window: each runs as a stateless pipeline (pipeline(sql)) over the same backlog and writes every result record, as JSON, to a fresh Kafka topic of 2 partitions (the Kafka sink: an idempotent @platformatic/kafka producer, acks from all replicas); the time runs until the last record is acknowledged, and the row count is the messages written. The window join (q8) is written as the benchmark defines it; where the engine refuses a query its error is quoted.',
    FLINK_REFERENCE_SOURCE + ' Those figures are a reference from other hardware and another source, not a measurement of this run: no ratio is given.',
  );
  return { id: 'nexmark', title: 'Nexmark over Kafka', columns: [...COLUMNS], rows, higherIsBetter: true, notes };
}
