/**
 * What DuckDB's parser (json_serialize_sql) says about a piece of SQL, as the Flink dialect needs
 * it: where the function calls, column references and tables are (offsets into the text), and how
 * the top-level SELECT groups. An expression is parsed as `SELECT <expression>`.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal } from '../exec/duck.js';
import { WINDOWED_PLACEHOLDER } from '../sql/windowCall.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ParsedSql {
  readonly functions: readonly { readonly name: string; readonly at: number }[];
  /** Window functions (OVER). */
  readonly windows: readonly { readonly name: string; readonly at: number }[];
  readonly columns: readonly number[];
  /** Tables and table functions other than the windowed source. */
  readonly tables: readonly { readonly name: string; readonly at: number }[];
  /** GROUP BY 1, 2: positions of the ordinals. */
  readonly ordinalGroups: readonly number[];
  /** Where the top-level GROUP BY names window_start, and whether it names window_end. */
  readonly groupsWindowStart: number | undefined;
  readonly groupsWindowEnd: boolean;
}

/** DuckDB's "no location". */
const NOWHERE = 2 ** 63;

export async function parseTree(conn: DuckDBConnection, text: string, form: 'statement' | 'expression'): Promise<ParsedSql> {
  const prefix = form === 'expression' ? 'SELECT ' : '';
  const r = await conn.runAndReadAll(`SELECT json_serialize_sql(${literal(prefix + text)})`);
  const tree = JSON.parse(String(r.getRows()[0]?.[0])) as { error?: boolean; statements?: { node: Json }[] };
  const found = { functions: [] as { name: string; at: number }[], windows: [] as { name: string; at: number }[], columns: [] as number[], tables: [] as { name: string; at: number }[], ordinalGroups: [] as number[] };
  const at = (n: Record<string, Json>): number | undefined => {
    const loc = Number(n.query_location);
    return Number.isFinite(loc) && loc < NOWHERE ? loc - prefix.length : undefined;
  };
  const walk = (node: Json): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const loc = at(node);
    if (loc !== undefined && loc >= 0) {
      if (node.class === 'FUNCTION' && typeof node.function_name === 'string') found.functions.push({ name: node.function_name.toLowerCase(), at: loc });
      if (node.class === 'WINDOW' && typeof node.function_name === 'string') found.windows.push({ name: node.function_name.toLowerCase(), at: loc });
      if (node.class === 'COLUMN_REF') found.columns.push(loc);
      if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string' && node.table_name !== WINDOWED_PLACEHOLDER) found.tables.push({ name: node.table_name, at: loc });
      if (node.type === 'TABLE_FUNCTION') found.tables.push({ name: 'a table function', at: loc });
    }
    Object.values(node).forEach(walk);
  };
  const statement = tree.statements?.[0]?.node;
  if (!tree.error && statement) walk(statement);
  // the top-level SELECT's grouping
  let select = statement as Record<string, Json> | undefined;
  while (select && select.type !== 'SELECT_NODE' && select.left) select = select.left as Record<string, Json>;
  const groups = ((select?.group_expressions ?? []) as Record<string, Json>[]);
  let groupsWindowStart: number | undefined;
  let groupsWindowEnd = false;
  for (const g of groups) {
    const name = g.class === 'COLUMN_REF' ? String((g.column_names as string[]).at(-1)).toLowerCase() : undefined;
    if (name === 'window_start') groupsWindowStart = at(g);
    if (name === 'window_end') groupsWindowEnd = true;
    if (g.class === 'CONSTANT') found.ordinalGroups.push(at(g) ?? 0);
  }
  return { ...found, groupsWindowStart, groupsWindowEnd };
}
