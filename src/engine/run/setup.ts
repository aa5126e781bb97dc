/**
 * Query setup before any data moves: the DuckDB connection, the source's columns (given or
 * inferred from history), and validation of the plan by DuckDB itself against those columns.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { QueryError, SourceError } from '../../errors.js';
import { messages } from '../../messages.js';
import { describeRelation, eventColumns, historyRelationSql, paddedRelation } from '../exec/historyRelation.js';
import type { Column } from '../exec/recordSql.js';
import { renderPlan } from '../exec/render.js';
import { outputShape, type OutputShape } from '../exec/shape.js';
import { createTables, T } from '../exec/tables.js';
import { checkEngineShape, prepareEngineTables } from '../exec/windowEngine.js';
import { planWindow, type PlanNode } from '../plan/types.js';
import type { SourceSpec } from '../source/types.js';
import { caretAt } from '../sql/tokenize.js';
import { ident } from '../exec/duck.js';
import { applyResources, type ResourceOptions } from './resources.js';

/** The run's DuckDB connection, and the instance when the run created it. */
export interface DuckSetup {
  readonly conn: DuckDBConnection;
  readonly ownsInstance: DuckDBInstance | undefined;
}

/** A source in DuckDB: its event columns and its history relation (shared by every kind of run). */
export interface SourceSetup extends DuckSetup {
  /** Columns of the event buffer: data + Kafka metadata. */
  readonly columns: readonly Column[];
  /** The padded history relation (files/table/query), undefined for backlog or live-only. */
  readonly historyRelation: string | undefined;
  /** The history's own columns (before padding), to see whether it is an archive with offsets. */
  readonly historyColumns: readonly Column[];
}

/** A windowed query's set-up: its source, output shape and the SQL of both phases. */
export interface Setup extends SourceSetup {
  readonly shape: OutputShape;
  readonly sql: { readonly history: string; readonly live: string };
}

/** A connection to the given instance or a fresh in-memory one, with the run's memory limit and spill folder. */
export async function openConnection(instance: DuckDBInstance | undefined, resources: ResourceOptions = {}): Promise<{ conn: DuckDBConnection; owned: DuckDBInstance | undefined }> {
  const owned = instance ? undefined : await DuckDBInstance.create(':memory:');
  const conn = await (instance ?? owned!).connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  // the history query's progress (Query.progress()), without DuckDB printing a bar
  await conn.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
  try {
    await applyResources(conn, resources, owned !== undefined);
  } catch (e) {
    conn.closeSync();
    owned?.closeSync();
    throw e;
  }
  return { conn, owned };
}

function checkTime(source: SourceSpec, columns: readonly Column[]): void {
  const time = columns.find((c) => c.name === source.time);
  if (!time) throw new SourceError('time-column-missing', messages.timeColumnMissing(source.name, source.time, columns.map((c) => c.name).join(', ')));
  if (!/^(TIMESTAMP|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE|DATE|TIMESTAMP_MS|TIMESTAMP_S|TIMESTAMP_NS)$/i.test(time.type)) {
    throw new SourceError('time-column-type', messages.timeColumnType(source.name, source.time, time.type));
  }
}

/** DuckDB's message without its LINE display (it shows rewritten SQL), plus a "did you mean". */
export function explainDuckError(e: unknown, original: string): QueryError {
  const raw = e instanceof Error ? e.message : String(e);
  const first = raw.split('\n\nLINE')[0]!.replace(/\nCandidate bindings: .*/s, '');
  const candidates = /Candidate bindings: (.*)/.exec(raw)?.[1];
  const column = /Referenced column "([^"]+)" not found/.exec(raw)?.[1];
  let shown = original;
  let hint = '';
  if (column) {
    const at = new RegExp(`(?<![\\w"])${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w"])`).exec(original)?.index ?? original.indexOf(column);
    if (at >= 0) {
      // the SQL with a caret line under the offending name
      const { caret } = caretAt(original, at, at + column.length);
      const lineEnd = original.indexOf('\n', at);
      shown = lineEnd < 0 ? `${original}\n${caret}` : `${original.slice(0, lineEnd)}\n${caret}${original.slice(lineEnd)}`;
    }
    if (candidates) hint = `did you mean ${candidates.split(',')[0]!.trim()}?`;
  }
  return new QueryError('sql-invalid', messages.sqlInvalid(first, shown, hint), { cause: e, context: { sql: original } });
}

/**
 * The history typed as the schema declares: columns of another type cast, declared columns the
 * history lacks NULL (as a live record without the field), the rest as they are.
 */
function declaredHistory(relation: string, source: SourceSpec, history: readonly Column[]): string {
  const have = new Map(history.map((c) => [c.name, c.type]));
  const declared = Object.entries(source.schema ?? {});
  const casts = declared.filter(([name, type]) => have.has(name) && have.get(name)!.toUpperCase() !== type.toUpperCase()).map(([name, type]) => `CAST(${ident(name)} AS ${type}) AS ${ident(name)}`);
  const missing = declared.filter(([name]) => !have.has(name)).map(([name, type]) => `CAST(NULL AS ${type}) AS ${ident(name)}`);
  if (casts.length === 0 && missing.length === 0) return relation;
  return `(SELECT *${casts.length > 0 ? ` REPLACE (${casts.join(', ')})` : ''}${missing.length > 0 ? `, ${missing.join(', ')}` : ''} FROM ${relation})`;
}

/** Step 1 of setupQuery (shared with stateless pipelines): the source's event columns and its history relation. */
export async function sourceColumns(conn: DuckDBConnection, source: SourceSpec): Promise<Omit<SourceSetup, keyof DuckSetup>> {
  const h = source.history;
  let historyRaw = h && h.kind !== 'kafkaBacklog' ? historyRelationSql(h) : undefined;
  // a declared schema types the history too (DuckDB guesses text for an empty CSV); without one,
  // JSON and CSV readers may leave timestamps as text: the event-time column is cast once here
  if (historyRaw) {
    const raw = await describeRelation(conn, historyRaw, source);
    const time = raw.find((c) => c.name === source.time);
    if (source.schema) historyRaw = declaredHistory(historyRaw, source, raw);
    else if (time && /^VARCHAR$/i.test(time.type)) historyRaw = `(SELECT * REPLACE (CAST(${ident(source.time)} AS TIMESTAMP) AS ${ident(source.time)}) FROM ${historyRaw})`;
  }
  let data: Column[];
  if (source.schema) data = Object.entries(source.schema).map(([name, type]) => ({ name, type }));
  else if (historyRaw) data = await describeRelation(conn, historyRaw, source);
  else throw new SourceError('schema-needed', messages.sourceNeedsSchema(source.name));
  checkTime(source, data);
  const columns = eventColumns(data);
  const historyColumns = historyRaw ? await describeRelation(conn, historyRaw, source) : [];
  const historyRelation = historyRaw ? paddedRelation(historyRaw, historyColumns) : undefined;
  return { columns, historyRelation, historyColumns };
}

export async function setupQuery(conn: DuckDBConnection, plan: PlanNode, source: SourceSpec): Promise<Omit<Setup, 'conn' | 'ownsInstance'>> {
  // 1. columns: the declared schema, else what DuckDB reads from the history
  const { columns, historyRelation, historyColumns } = await sourceColumns(conn, source);
  await createTables(conn, columns);
  const win = planWindow(plan);
  const { touched } = win ? await prepareEngineTables(conn, plan, win) : { touched: T.touched };
  // 2. the plan, checked by DuckDB against the (empty) event buffer of the same columns
  const liveSql = renderPlan(plan, { relation: T.events, touched });
  const historySql = renderPlan(plan, { relation: historyRelation ?? T.events });
  const original = plan.kind === 'statement' ? plan.original : historySql;
  try {
    await conn.prepare(liveSql);
  } catch (e) {
    throw explainDuckError(e, original);
  }
  const shape = await outputShape(conn, plan, liveSql, plan.kind === 'statement' ? plan.sql : undefined);
  if (win) checkEngineShape(win, shape, original);
  return { columns, historyRelation, historyColumns, shape, sql: { history: historySql, live: liveSql } };
}
