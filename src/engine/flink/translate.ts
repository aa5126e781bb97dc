/**
 * The plan as Flink SQL, in one pass up the chain:
 *
 *   1. each source   its history table and live table, and a view of history UNION ALL live
 *                    (the live records that do not read, and a time hand-off's overlap, left out)
 *   2. below the     filter, derive, select: a view each; enrich: an event-time temporal join with
 *      window        the staged table; an interval join: both inputs' chains, joined on event time
 *   3. the window    Flink's window TVF over the last view, aggregated as the builder says, or the
 *                    user's statement in Flink's dialect with the window call replaced by the TVF
 *
 * Expressions are rewritten by dialect.ts; anything that does not translate is refused there.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { assertNever, planChain, planSource, type IntervalJoinNode, type PlanNode } from '../plan/types.js';
import { fixedLengthMs, type WindowSpec } from '../plan/window.js';
import { KAFKA_COLUMNS, type SourceSpec } from '../source/types.js';
import { WINDOWED_PLACEHOLDER } from '../sql/windowCall.js';
import { historyTableDdl, liveTableDdl, lookupTableDdl } from './ddl.js';
import { deadLetterSelect } from './deadLetters.js';
import { flinkSql } from './dialect.js';
import { REASON } from './liveRecord.js';
import { fident, finterval, flinkColumn, ftimestamp, type FlinkColumn } from './types.js';

/** A source as the job reads it: its columns, its staged history, its live part's hand-off. */
export interface PreparedSource {
  readonly source: SourceSpec;
  readonly columns: readonly FlinkColumn[];
  readonly history?: { readonly dir: string; readonly lagMs: number };
  readonly live?: { readonly start: ReadonlyMap<number, number>; readonly stop: ReadonlyMap<number, number> | undefined; readonly boundaryMs: number | undefined };
}

/** An enrichment table, staged: by its plan node's snapshot name. */
export interface PreparedLookup {
  readonly dir: string;
  readonly columns: readonly FlinkColumn[];
  readonly keys: readonly string[];
}

export interface TranslateContext {
  readonly conn: DuckDBConnection;
  readonly brokers: string;
  /** The run has no end: history sources keep watching, so they never end the watermark. */
  readonly unbounded: boolean;
  readonly parallelism: number;
  readonly sources: ReadonlyMap<string, PreparedSource>;
  readonly lookups: ReadonlyMap<string, PreparedLookup>;
  /** Columns each join input hands to the join (after its own filter/derive/select). */
  readonly joinColumns?: { readonly a: readonly string[]; readonly b: readonly string[] };
}

export interface FlinkQuery {
  /** Tables and views, in order. */
  readonly statements: readonly string[];
  /** The query whose changelog comes back. */
  readonly select: string;
  /** Per live table, its records that do not read (deadLetters.ts brings them back with the results). */
  readonly deadLetters: readonly string[];
}

type Enrich = Extract<PlanNode, { kind: 'enrich' }>;

export async function translatePlan(plan: PlanNode, ctx: TranslateContext): Promise<FlinkQuery> {
  const statements = [...ctx.lookups].map(([table, t]) => lookupTableDdl({ table, path: t.dir, columns: t.columns, keys: t.keys }));
  const deadLetters: string[] = [];
  // a source read twice (both inputs of a join over one topic) is declared once
  const made = new Set<string>();
  let views = 0;
  const view = (sql: string): string => {
    const name = `wp_view_${++views}`;
    statements.push(`CREATE TEMPORARY VIEW ${fident(name)} AS ${sql}`);
    return name;
  };
  const expr = (text: string): Promise<string> => flinkSql(ctx.conn, text, { form: 'expression' });
  const cols = async (c: Readonly<Record<string, string>>): Promise<string> => (await Promise.all(Object.entries(c).map(async ([name, e]) => `${await expr(e)} AS ${fident(name)}`))).join(', ');
  // 1.–2. a chain below the window: the view its rows come from
  const chain = async (top: PlanNode): Promise<string> => {
    let rel = '';
    for (const node of planChain(top)) {
      switch (node.kind) {
        case 'scan': rel = made.has(node.source.name) ? node.source.name : (made.add(node.source.name), sourceView(node.source, ctx, statements, deadLetters)); break;
        case 'intervalJoin': rel = view(await joinSql(node, await chain(node.left), await chain(node.right), ctx)); break;
        case 'filter': rel = view(`SELECT * FROM ${fident(rel)} WHERE ${await expr(node.predicate)}`); break;
        case 'derive': rel = view(`SELECT *, ${await cols(node.columns)} FROM ${fident(rel)}`); break;
        case 'select': rel = view(`SELECT ${await cols(node.columns)} FROM ${fident(rel)}`); break;
        case 'enrich': rel = view(enrichSql(node, rel, planSource(top).time, ctx)); break;
        case 'window': case 'aggregate': case 'having': case 'order': case 'statement': return rel;
        default: return assertNever(node);
      }
    }
    return rel;
  };
  // 3. the window and what is computed over it
  let node: PlanNode = plan;
  const above: PlanNode[] = [];
  while (node.kind !== 'window') {
    if (node.kind === 'scan' || node.kind === 'intervalJoin') throw new QueryError('no-window', messages.queryNoWindow());
    above.unshift(node);
    node = node.input;
  }
  const tvf = windowTvf(node.window, await chain(node.input));
  let select = `SELECT * FROM ${tvf}`;
  for (const n of above) {
    switch (n.kind) {
      case 'aggregate': {
        const keys = Object.entries(n.keys);
        const list = ['`window_start`', '`window_end`', ...(await Promise.all(keys.map(async ([name, e]) => `${await expr(e)} AS ${fident(name)}`))), await cols(n.aggregates)].filter(Boolean);
        const groups = ['`window_start`', '`window_end`', ...(await Promise.all(keys.map(([, e]) => expr(e))))];
        select = `SELECT ${list.join(', ')} FROM ${tvf} GROUP BY ${groups.join(', ')}`;
        break;
      }
      case 'having': select = `SELECT * FROM (${select}) WHERE ${await expr(n.predicate)}`; break;
      case 'statement': {
        const text = await flinkSql(ctx.conn, n.sql, { form: 'statement', addWindowEnd: fixedLengthMs(node.window) !== undefined });
        select = text.split(WINDOWED_PLACEHOLDER).join(tvf);
        break;
      }
      case 'order': throw new QueryError('flink-unsupported', messages.flinkUnsupported('orderBy()', n.by.join(', '), messages.flinkHintSyntax('order')));
      default: throw new QueryError('flink-unsupported', messages.flinkUnsupported(`${n.kind} after the window`, n.kind, ''));
    }
  }
  return { statements, select, deadLetters };
}

/** The source's tables and its view: history UNION ALL the live records that read (after a time hand-off's boundary). */
function sourceView(s: SourceSpec, ctx: TranslateContext, statements: string[], deadLetters: string[]): string {
  const p = ctx.sources.get(s.name);
  if (!p) throw new QueryError('unknown-source', messages.unknownSource(s.name, [...ctx.sources.keys()].join(', ')));
  const names = p.columns.map((c) => fident(c.name)).join(', ');
  const parts: string[] = [];
  if (p.history) {
    const table = `wp_${s.name}_history`;
    statements.push(historyTableDdl({ table, path: p.history.dir, columns: p.columns, time: s.time, lagMs: s.maxOutOfOrdernessMs + p.history.lagMs, unbounded: ctx.unbounded }));
    parts.push(`SELECT ${names} FROM ${fident(table)}`);
  }
  if (p.live && s.live) {
    const table = `wp_${s.name}_live`;
    statements.push(liveTableDdl({ table, live: s.live, columns: p.columns, time: s.time, boundMs: s.maxOutOfOrdernessMs, brokers: ctx.brokers, start: p.live.start, stop: p.live.stop, parallelism: ctx.parallelism }));
    deadLetters.push(deadLetterSelect(table));
    const overlap = p.live.boundaryMs === undefined ? '' : ` AND ${fident(s.time)} > ${ftimestamp(p.live.boundaryMs)}`;
    parts.push(`SELECT ${names} FROM ${fident(table)} WHERE \`${REASON}\` IS NULL${overlap}`);
  }
  statements.push(`CREATE TEMPORARY VIEW ${fident(s.name)} AS ${parts.join(' UNION ALL ')}`);
  return s.name;
}

/** Enrichment: an event-time temporal join with the table, every row of it valid from the epoch on. */
function enrichSql(node: Enrich, rel: string, time: string, ctx: TranslateContext): string {
  const t = ctx.lookups.get(node.snapshot);
  if (!t) throw new QueryError('flink-unsupported', messages.flinkUnsupported('enrich()', node.snapshot, ''));
  const named = Object.entries(node.columns);
  const added = named.length > 0 ? named.map(([name, col]) => `t.${fident(col)} AS ${fident(name)}`) : t.columns.filter((c) => !node.on.includes(c.name)).map((c) => `t.${fident(c.name)}`);
  const on = node.on.map((k) => `s.${fident(k)} = t.${fident(k)}`).join(' AND ');
  return `SELECT s.*, ${added.join(', ')} FROM ${fident(rel)} AS s LEFT JOIN ${fident(node.snapshot)} FOR SYSTEM_TIME AS OF s.${fident(time)} AS t ON ${on}`;
}

/** The interval join of two views, shaped as join/sql.ts shapes it for the local engine. */
async function joinSql(j: IntervalJoinNode, a: string, b: string, ctx: TranslateContext): Promise<string> {
  const aSource = planSource(j.left);
  const bSource = planSource(j.right);
  const aNames = new Set(ctx.joinColumns?.a ?? []);
  const dropped = new Set(j.on.kind === 'keys' ? j.on.keys : []);
  const bOut = (ctx.joinColumns?.b ?? []).filter((c) => !dropped.has(c) && !(c in KAFKA_COLUMNS));
  const renamed = bOut.map((c) => `b.${fident(c)} AS ${fident(aNames.has(c) ? j.rightPrefix + c : c)}`);
  const pads = Object.entries(KAFKA_COLUMNS).filter(([n]) => !aNames.has(n)).map(([name, type]) => `CAST(NULL AS ${flinkColumn({ name, type }, 'the join').flink}) AS ${fident(name)}`);
  const match = j.on.kind === 'keys' ? j.on.keys.map((k) => `a.${fident(k)} = b.${fident(k)}`).join(' AND ') : `(${await flinkSql(ctx.conn, j.on.sql, { form: 'expression' })})`;
  const at = (ms: number): string => `a.${fident(aSource.time)} ${ms < 0 ? '-' : '+'} ${finterval(Math.abs(ms))}`;
  const within = `b.${fident(bSource.time)} BETWEEN ${at(j.lowerMs)} AND ${at(j.upperMs)}`;
  return `SELECT ${['a.*', ...renamed, ...pads].join(', ')} FROM ${fident(a)} AS a JOIN ${fident(b)} AS b ON ${match} AND ${within}`;
}

/** How much shorter the gap is on Flink, so sessions split where the local engine splits them; rows.ts adds it back to window_end. */
export const SESSION_GAP_SHIFT_MS = 1;

/** Flink's window TVF over a view; offsets taken modulo the grid step, as the local engine aligns them. */
export function windowTvf(w: WindowSpec, rel: string): string {
  const table = `TABLE ${fident(rel)}`;
  const time = `DESCRIPTOR(${fident(w.timeColumn)})`;
  const offset = (stepMs: number, offsetMs: number): string => (((offsetMs % stepMs) + stepMs) % stepMs === 0 ? '' : `, ${finterval(((offsetMs % stepMs) + stepMs) % stepMs)}`);
  switch (w.kind) {
    case 'tumble': return `TABLE(TUMBLE(${table}, ${time}, ${finterval(w.sizeMs)}${offset(w.sizeMs, w.offsetMs)}))`;
    case 'hop': return `TABLE(HOP(${table}, ${time}, ${finterval(w.slideMs)}, ${finterval(w.sizeMs)}${offset(w.slideMs, w.offsetMs)}))`;
    case 'cumulate': return `TABLE(CUMULATE(${table}, ${time}, ${finterval(w.stepMs)}, ${finterval(w.sizeMs)}${offset(w.sizeMs, w.offsetMs)}))`;
    case 'session': {
      // Flink merges sessions that touch (an event exactly `gap` after the last); the local engine starts a new one
      const keys = w.partitionBy.length > 0 ? ` PARTITION BY (${w.partitionBy.map(fident).join(', ')})` : '';
      return `TABLE(SESSION(${table}${keys}, ${time}, ${finterval(w.gapMs - SESSION_GAP_SHIFT_MS)}))`;
    }
    default: return assertNever(w);
  }
}
