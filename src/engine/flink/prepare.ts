/**
 * Step 1 of a Flink run, on this machine: DuckDB checks the plan exactly as for the local engine
 * (the same errors, the same output shape), the dialect refuses what does not translate, each live
 * input's hand-off is planned at exact offsets the same way, and history and enrichment tables are
 * staged as Parquet for the Flink JVMs.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { JoinBuffers } from '../join/buffers.js';
import { JoinSide } from '../join/side.js';
import { joinShape } from '../join/sql.js';
import { snapshotTables } from '../join/tables.js';
import { planChain, planJoin, planSource, type IntervalJoinNode, type PlanNode, type WindowSpec } from '../plan/types.js';
import type { Until } from '../run/bounded.js';
import { openInput, runKafka, type RunInput } from '../run/input.js';
import { liveStart } from '../run/liveStart.js';
import type { RunOptions } from '../run/options.js';
import { wallClock } from '../run/outage.js';
import { setupQuery, type Setup } from '../run/setup.js';
import type { Column } from '../exec/recordSql.js';
import type { SourceSpec } from '../source/types.js';
import { checkPlan } from './check.js';
import type { Stage } from './stage.js';
import type { PreparedLookup, PreparedSource } from './translate.js';
import { flinkColumns } from './types.js';

export interface PreparedRun {
  readonly setup: Omit<Setup, 'conn' | 'ownsInstance'>;
  readonly sources: Map<string, PreparedSource>;
  readonly lookups: Map<string, PreparedLookup>;
  /** The live inputs with their hand-offs (read by Flink, reported by stats() and provenance). */
  readonly inputs: RunInput[];
  /** A replay's recorded end offsets. */
  readonly until?: Until;
  readonly joinColumns?: { readonly a: readonly string[]; readonly b: readonly string[] };
}

interface Ctx {
  readonly conn: DuckDBConnection;
  readonly options: RunOptions;
  readonly stage: Stage;
  readonly window: WindowSpec;
}

export async function prepareRun(plan: PlanNode, ctx: Ctx): Promise<PreparedRun> {
  const join = planJoin(plan);
  const run = join ? await prepareJoin(plan, join, ctx) : await prepareSingle(plan, ctx);
  const lookups = new Map<string, PreparedLookup>();
  for (const node of planChain(plan)) {
    if (node.kind !== 'enrich') continue;
    const described = await ctx.conn.runAndReadAll(`DESCRIBE ${node.snapshot}`);
    const columns = flinkColumns(described.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) })), `the enrichment table`);
    lookups.set(node.snapshot, { dir: await ctx.stage.table(ctx.conn, node.snapshot, node.snapshot, columns, node.on), columns, keys: node.on });
  }
  return { ...run, lookups };
}

async function prepareSingle(plan: PlanNode, ctx: Ctx): Promise<Omit<PreparedRun, 'lookups'>> {
  const { conn, options } = ctx;
  const source = planSource(plan);
  const s = await setupQuery(conn, await snapshotTables(conn, plan, source), source);
  await checkPlan(plan, conn);
  if (!source.live) return { setup: s, sources: new Map([[source.name, await prepareSource(ctx, source, s.columns, s.historyRelation, undefined)]]), inputs: [] };
  const client = runKafka(options.kafka);
  let replayStop: ReadonlyMap<number, number> | undefined;
  const input = await openInput(source, client, async (topic) => {
    const start = await liveStart({ conn, kafka: client.kafka, brokers: client.brokers, source, window: ctx.window, topic, setup: s, replay: options.replay, warn: options.warn });
    replayStop = start.stop;
    return start.handoff;
  });
  const until: Until | undefined = replayStop ? { kind: 'offsets', offsets: replayStop } : undefined;
  const prepared = await prepareSource(ctx, source, s.columns, s.historyRelation, input, until ?? options.until);
  return { setup: s, sources: new Map([[source.name, prepared]]), inputs: [input], ...(until ? { until } : {}) };
}

async function prepareJoin(plan: PlanNode, join: IntervalJoinNode, ctx: Ctx): Promise<Omit<PreparedRun, 'lookups'>> {
  const { conn, options } = ctx;
  let client: ReturnType<typeof runKafka> | undefined;
  const a = new JoinSide('a', join.left, conn, wallClock);
  const b = new JoinSide('b', join.right, conn, wallClock);
  for (const side of [a, b]) await side.prepare(() => (client ??= runKafka(options.kafka)));
  const shape = joinShape(join, { name: a.source.name, time: a.time, columns: a.out }, { name: b.source.name, time: b.time, columns: b.out });
  const joined = { ...planSource(plan), schema: await new JoinBuffers(conn, join, shape, a, b).schema() };
  const s = await setupQuery(conn, await snapshotTables(conn, plan, joined), joined);
  await checkPlan(plan, conn);
  const sources = new Map<string, PreparedSource>();
  for (const side of [a, b]) sources.set(side.source.name, await prepareSource(ctx, side.source, side.columns, side.historyRelation, side.input, options.until));
  for (const side of [a, b]) side.close();
  return { setup: s, sources, inputs: [a.input, b.input].filter((i): i is RunInput => i !== undefined), joinColumns: { a: a.out.map((c) => c.name), b: b.out.map((c) => c.name) } };
}

/** A source's Flink columns, its staged history and its live part's offsets (start, and stop for a bounded run). */
async function prepareSource(ctx: Ctx, source: SourceSpec, columns: readonly Column[], historyRelation: string | undefined, input: RunInput | undefined, until?: Until): Promise<PreparedSource> {
  const cols = flinkColumns(columns, `source ${source.name}`);
  const files = historyRelation !== undefined && source.history && source.history.kind !== 'kafkaBacklog';
  const history = files ? await ctx.stage.history(ctx.conn, `${source.name}_history`, historyRelation, cols, source.time) : undefined;
  if (!input) return { source, columns: cols, ...(history ? { history } : {}) };
  const h = input.handoff;
  const boundaryMs = h.kind === 'time' && h.boundaryUs !== undefined ? Math.floor(h.boundaryUs / 1000) : undefined;
  return { source, columns: cols, ...(history ? { history } : {}), live: { start: h.start, stop: until ? input.stop(until) : undefined, boundaryMs } };
}
