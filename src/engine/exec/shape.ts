/**
 * The output shape of a query: its columns, which are group keys and which are values. The builder
 * knows its keys; for SQL they are read from DuckDB's own parse (json_serialize_sql) of the statement.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { assertNever, isLeaf, planWindow, type PlanNode } from '../plan/types.js';
import { fixedLengthMs } from '../plan/window.js';
import { literal } from './duck.js';

export interface OutputShape {
  readonly columns: readonly string[];
  readonly keys: readonly string[];
  readonly values: readonly string[];
  /** DuckDB type of each output column, by name (sinks create tables and files with them). */
  readonly types: Readonly<Record<string, string>>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function strip(node: Json): Json {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'query_location' && k !== 'alias').map(([k, v]) => [k, strip(v)]));
  }
  return node;
}

function containsAggregate(node: Json, aggregates: ReadonlySet<string>): boolean {
  if (Array.isArray(node)) return node.some((n) => containsAggregate(n, aggregates));
  if (!node || typeof node !== 'object') return false;
  if (node.class === 'FUNCTION' && typeof node.function_name === 'string' && aggregates.has(node.function_name.toLowerCase())) return true;
  if (node.class === 'WINDOW') return false;
  return Object.values(node).some((v) => containsAggregate(v, aggregates));
}

async function statementKeys(conn: DuckDBConnection, sql: string, columns: readonly string[]): Promise<Set<string>> {
  const parsed = await conn.runAndReadAll(`SELECT json_serialize_sql(${literal(sql)})`);
  const tree = JSON.parse(String(parsed.getRows()[0]?.[0])) as { statements?: { node: Record<string, Json> }[] };
  let node = tree.statements?.[0]?.node;
  // ORDER BY / LIMIT wrap nothing here; a set operation or CTE-only query has no select list to read
  while (node && node.type !== 'SELECT_NODE' && node.left) node = node.left as Record<string, Json>;
  const list = (node?.select_list ?? []) as Json[];
  const groups = ((node?.group_expressions ?? []) as Json[]).map((g) => JSON.stringify(strip(g)));
  const groupNames = new Set(
    ((node?.group_expressions ?? []) as Record<string, Json>[]).filter((g) => g.class === 'COLUMN_REF').map((g) => String((g.column_names as string[]).at(-1)).toLowerCase()),
  );
  const positions = new Set(((node?.group_expressions ?? []) as Record<string, Json>[]).filter((g) => g.class === 'CONSTANT').map((g) => Number((g.value as { value: number }).value) - 1));
  const aggNames = await conn.runAndReadAll(`SELECT DISTINCT lower(function_name) FROM duckdb_functions() WHERE function_type = 'aggregate'`);
  const aggregates = new Set(aggNames.getRows().map((r) => String(r[0])));
  const groupAll = node?.aggregate_handling === 'FORCE_AGGREGATES';
  const keys = new Set<string>();
  list.forEach((item, i) => {
    const name = columns[i];
    if (name === undefined || !item || typeof item !== 'object' || Array.isArray(item)) return;
    const own = item.class === 'COLUMN_REF' ? String((item.column_names as string[]).at(-1)).toLowerCase() : undefined;
    const alias = typeof item.alias === 'string' && item.alias !== '' ? item.alias.toLowerCase() : undefined;
    const isKey = groupAll
      ? !containsAggregate(item, aggregates)
      : positions.has(i) || groups.includes(JSON.stringify(strip(item))) || (own !== undefined && groupNames.has(own)) || (alias !== undefined && groupNames.has(alias));
    if (isKey) keys.add(name);
  });
  return keys;
}

/** Describes `sql` (the rendered plan) and splits its columns into keys and values. */
export async function outputShape(conn: DuckDBConnection, plan: PlanNode, rendered: string, statementSql: string | undefined): Promise<OutputShape> {
  const described = await conn.runAndReadAll(`DESCRIBE ${rendered}`);
  const columns = described.getRows().map((r) => String(r[0]));
  const types = Object.fromEntries(described.getRows().map((r) => [String(r[0]), String(r[1])]));
  if (!columns.includes('window_start')) throw new QueryError('no-window-start', messages.noWindowStartOutput(plan.kind === 'statement' ? plan.original : rendered));
  const window = planWindow(plan);
  if (window && fixedLengthMs(window) === undefined && !columns.includes('window_end')) {
    throw new QueryError('no-window-end', messages.noWindowEndOutput(window.kind, plan.kind === 'statement' ? plan.original : rendered));
  }
  let keySet: Set<string>;
  switch (plan.kind) {
    case 'statement':
      keySet = await statementKeys(conn, statementSql ?? plan.sql, columns);
      break;
    case 'aggregate': case 'having': case 'order': case 'filter': case 'derive': case 'select': case 'window': case 'scan': case 'intervalJoin': case 'enrich': {
      let node: PlanNode = plan;
      while (node.kind !== 'aggregate' && !isLeaf(node)) node = node.input;
      keySet = new Set(node.kind === 'aggregate' ? Object.keys(node.keys) : []);
      break;
    }
    default:
      return assertNever(plan);
  }
  const special = new Set(['window_start', 'window_end']);
  return {
    columns,
    keys: columns.filter((c) => keySet.has(c) && !special.has(c)),
    values: columns.filter((c) => !keySet.has(c) && !special.has(c)),
    types,
  };
}
