/** The history part of a source as a DuckDB relation, and its schema. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SourceError } from '../../errors.js';
import { messages } from '../../messages.js';
import { assertNever } from '../plan/types.js';
import { KAFKA_COLUMNS, type HistorySpec, type SourceSpec } from '../source/types.js';
import { ident, literal } from './duck.js';
import type { Column } from './recordSql.js';

function fileList(paths: readonly string[]): string {
  return `[${paths.map(literal).join(', ')}]`;
}

/** The raw relation of a file, table or query history (not the backlog, which is loaded). */
export function historyRelationSql(h: Exclude<HistorySpec, { kind: 'kafkaBacklog' }>): string {
  switch (h.kind) {
    case 'parquet': return `read_parquet(${fileList(h.paths)}, union_by_name = true)`;
    case 'csv': return `read_csv(${fileList(h.paths)}, union_by_name = true)`;
    case 'json': return `read_json_auto(${fileList(h.paths)}, union_by_name = true)`;
    case 'table': return h.table;
    case 'query': return `(${h.sql})`;
    default: return assertNever(h);
  }
}

function describeWhat(h: HistorySpec): string {
  switch (h.kind) {
    case 'parquet': case 'csv': case 'json': return `${h.kind} ${h.paths.join(', ')}`;
    case 'table': return `table ${h.table}`;
    case 'query': return `query ${h.sql}`;
    case 'kafkaBacklog': return 'topic backlog';
    default: return assertNever(h);
  }
}

export async function describeRelation(conn: DuckDBConnection, relation: string, source: SourceSpec): Promise<Column[]> {
  try {
    const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
    return r.getRows().map((row) => ({ name: String(row[0]), type: String(row[1]) }));
  } catch (cause) {
    const why = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '';
    const h = source.history;
    const paths = h && (h.kind === 'parquet' || h.kind === 'csv' || h.kind === 'json') ? h.paths.map((p) => messages.relativePathNote(p, process.cwd())).join('') : '';
    throw new SourceError('history-unreadable', messages.historyUnreadable(source.name, h ? describeWhat(h) : relation, why) + paths, { cause, context: { source: source.name } });
  }
}

/** The relation padded with NULL Kafka metadata columns it lacks, so every phase has the same columns. */
export function paddedRelation(relation: string, columns: readonly Column[]): string {
  const have = new Set(columns.map((c) => c.name));
  const pads = Object.entries(KAFKA_COLUMNS)
    .filter(([name]) => !have.has(name))
    .map(([name, type]) => `CAST(NULL AS ${type}) AS ${ident(name)}`);
  return pads.length === 0 ? `(SELECT * FROM ${relation})` : `(SELECT *, ${pads.join(', ')} FROM ${relation})`;
}

/** The full column list (data + Kafka metadata) of an event table for these data columns. */
export function eventColumns(data: readonly Column[]): Column[] {
  const have = new Set(data.map((c) => c.name));
  return [...data, ...Object.entries(KAFKA_COLUMNS).filter(([n]) => !have.has(n)).map(([name, type]) => ({ name, type }))];
}
