/**
 * Stream–table enrichment, as a plan step: each stream row gets columns of the table row with the
 * same key (a left join: no match gives NULLs). The table is a DuckDB table of the query's instance
 * or a file read by DuckDB; it is read once, as of the query's start (see tables.ts).
 */
import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import { isLeaf, type LookupTable, type PlanNode } from '../plan/types.js';

/** The table as the user writes it: a table name, or { parquet | csv | json | table | query }. */
export type LookupInput =
  | string
  | { readonly parquet: string | readonly string[] }
  | { readonly csv: string | readonly string[] }
  | { readonly json: string | readonly string[] }
  | { readonly table: string }
  | { readonly query: string };

export interface EnrichOptions<K extends string = string, N extends string = string> {
  /** The key column(s), named the same in the stream and the table. */
  readonly on: K | readonly K[];
  /** Table columns to add (default: all but the keys); { name: 'table_column' } renames. */
  readonly columns?: readonly N[] | Readonly<Record<N, string>>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const list = (p: string | readonly string[]): readonly string[] => (typeof p === 'string' ? [p] : [...p]);

export function lookupTable(input: LookupInput): LookupTable {
  const bad = (why: string): never => {
    throw new ConfigError('enrich-table', messages.enrichTableInvalid(JSON.stringify(input), why));
  };
  if (typeof input === 'string') return input.trim() === '' ? bad('the table name is empty') : { kind: 'table', table: input };
  if (typeof input !== 'object' || input === null) return bad('expected a table name or { parquet: "profiles.parquet" }');
  const keys = Object.keys(input);
  if (keys.length !== 1) return bad(`expected exactly one of parquet, csv, json, table, query; got ${keys.join(', ') || 'none'}`);
  if ('parquet' in input) return { kind: 'parquet', paths: list(input.parquet) };
  if ('csv' in input) return { kind: 'csv', paths: list(input.csv) };
  if ('json' in input) return { kind: 'json', paths: list(input.json) };
  if ('table' in input) return { kind: 'table', table: input.table };
  if ('query' in input) return { kind: 'query', sql: input.query };
  return bad(`unknown kind ${keys[0]}`);
}

export function enrichKeys(on: string | readonly string[]): readonly string[] {
  const keys = typeof on === 'string' ? [on] : [...on];
  if (keys.length === 0 || keys.some((k) => typeof k !== 'string' || !IDENT.test(k))) throw new ConfigError('enrich-on', messages.enrichOnInvalid(JSON.stringify(on)));
  return keys;
}

/** Output name → table column; empty means every table column but the keys. */
export function enrichColumns(columns: EnrichOptions['columns']): Readonly<Record<string, string>> {
  if (columns === undefined) return {};
  return Array.isArray(columns) ? Object.fromEntries((columns as readonly string[]).map((c) => [c, c])) : { ...(columns as Record<string, string>) };
}

export function describeLookup(t: LookupTable): string {
  switch (t.kind) {
    case 'parquet': case 'csv': case 'json': return `${t.kind} ${t.paths.join(', ')}`;
    case 'table': return `table ${t.table}`;
    case 'query': return `query ${t.sql}`;
    default: {
      const never: never = t;
      return never;
    }
  }
}

/** The enrich plan node over `input`; its snapshot table is numbered by the enrich steps below it. */
export function enrichNode(input: PlanNode, table: LookupInput, options: EnrichOptions): PlanNode {
  let below = 0;
  for (let n: PlanNode = input; !isLeaf(n); n = n.input) if (n.kind === 'enrich') below++;
  return { kind: 'enrich', input, table: lookupTable(table), on: enrichKeys(options.on), columns: enrichColumns(options.columns), snapshot: `wp_enrich_${below + 1}` };
}
