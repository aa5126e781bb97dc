/**
 * Tables a query joins are read as of its start: each is copied once into a temp table of the
 * query's connection, and the query reads the copy — so history and every live micro-batch see the
 * same table, and results equal the batch answer over that table. Covers the builder's enrich steps
 * and the tables a SQL statement names (a missing one is reported with the SQL and a caret).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryError, SourceError } from '../../errors.js';
import { messages } from '../../messages.js';
import { ident } from '../exec/duck.js';
import { historyRelationSql } from '../exec/historyRelation.js';
import { renderPlan } from '../exec/render.js';
import { isLeaf, type PlanNode } from '../plan/types.js';
import { sourceColumns } from '../run/setup.js';
import type { SourceSpec } from '../source/types.js';
import { WINDOWED_PLACEHOLDER } from '../sql/windowCall.js';
import { caretAt, identifierOf, tokenize } from '../sql/tokenize.js';
import { describeLookup } from './lookup.js';

type EnrichNode = Extract<PlanNode, { kind: 'enrich' }>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** The plan with every joined table replaced by its snapshot (created here). */
export async function snapshotTables(conn: DuckDBConnection, plan: PlanNode, source: SourceSpec): Promise<PlanNode> {
  let probe: string | undefined;
  const inputColumns = async (node: EnrichNode): Promise<string[]> => {
    if (!probe) {
      const { columns } = await sourceColumns(conn, source);
      probe = 'wp_enrich_probe';
      await conn.run(`CREATE OR REPLACE TEMP TABLE ${probe} (${columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`);
    }
    const r = await conn.runAndReadAll(`DESCRIBE ${renderPlan(node.input, { relation: probe })}`);
    return r.getRows().map((row) => String(row[0]));
  };
  const visit = async (node: PlanNode): Promise<PlanNode> => {
    if (isLeaf(node)) return node;
    const input = await visit(node.input);
    const out = (input === node.input ? node : { ...node, input }) as PlanNode;
    if (out.kind === 'enrich') await snapshotLookup(conn, out, await inputColumns(out));
    if (out.kind === 'statement') return { ...out, sql: await snapshotStatement(conn, out.sql, out.original) };
    return out;
  };
  const result = await visit(plan);
  if (probe) await conn.run(`DROP TABLE ${probe}`);
  return result;
}

async function snapshotLookup(conn: DuckDBConnection, node: EnrichNode, streamColumns: readonly string[]): Promise<void> {
  const what = describeLookup(node.table);
  try {
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${node.snapshot} AS SELECT * FROM ${historyRelationSql(node.table)}`);
  } catch (cause) {
    throw new SourceError('enrich-table-unreadable', messages.enrichTableUnreadable(what, firstLine(cause)), { cause });
  }
  const cols = (await conn.runAndReadAll(`DESCRIBE ${node.snapshot}`)).getRows().map((r) => String(r[0]));
  for (const k of node.on) {
    if (!cols.includes(k)) throw new QueryError('enrich-key', messages.enrichKeyMissing(k, `the table (${what})`, cols.join(', ')));
    if (!streamColumns.includes(k)) throw new QueryError('enrich-key', messages.enrichKeyMissing(k, 'the stream', streamColumns.join(', ')));
  }
  const named = Object.entries(node.columns);
  for (const [, col] of named) if (!cols.includes(col)) throw new QueryError('enrich-column', messages.enrichKeyMissing(col, `the table (${what})`, cols.join(', ')));
  const added = named.length > 0 ? named.map(([name]) => name) : cols.filter((c) => !node.on.includes(c));
  const clash = added.find((c) => streamColumns.includes(c));
  if (clash) throw new QueryError('enrich-column', messages.enrichColumnClash(clash, what));
  const keys = node.on.map(ident).join(', ');
  const dup = await conn.runAndReadAll(`SELECT ${keys} FROM ${node.snapshot} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`);
  const row = dup.getRows()[0];
  if (row) throw new QueryError('enrich-duplicate-key', messages.enrichDuplicateKey(what, node.on.map((k, i) => `${k} = ${String(row[i])}`).join(', ')));
}

/** Base tables the statement names (not CTEs, not the windowed source), with their text positions. */
function baseTables(node: Json, ctes: Set<string>, out: { name: string; at: number }[]): void {
  if (Array.isArray(node)) {
    for (const n of node) baseTables(n, ctes, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const map = (node.cte_map as { map?: { key: string }[] } | undefined)?.map;
  if (map) for (const c of map) ctes.add(c.key.toLowerCase());
  if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') {
    const name = node.table_name;
    const qualified = node.schema_name !== '' || node.catalog_name !== '';
    if (name !== WINDOWED_PLACEHOLDER && (qualified || !ctes.has(name.toLowerCase()))) out.push({ name, at: Number(node.query_location) });
  }
  for (const v of Object.values(node)) baseTables(v, ctes, out);
}

async function snapshotStatement(conn: DuckDBConnection, sql: string, original: string): Promise<string> {
  const parsed = await conn.runAndReadAll(`SELECT json_serialize_sql(${`'${sql.replace(/'/g, "''")}'`})`);
  const tree = JSON.parse(String(parsed.getRows()[0]?.[0])) as { error?: boolean; statements?: Json[] };
  if (tree.error) return sql; // DuckDB reports the syntax error itself when the query is checked
  const found: { name: string; at: number }[] = [];
  baseTables(tree.statements ?? [], new Set(), found);
  const tokens = tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
  let rewritten = sql;
  // right to left, so earlier positions stay valid
  for (const [i, ref] of [...found].sort((x, y) => y.at - x.at).entries()) {
    const first = tokens.findIndex((t) => t.start === ref.at);
    if (first < 0) continue;
    let last = first;
    while (tokens[last + 1]?.text === '.' && tokens[last + 2]) last += 2;
    const nameText = sql.slice(tokens[first]!.start, tokens[last]!.end);
    const snapshot = `wp_table_${i}`;
    try {
      await conn.run(`CREATE OR REPLACE TEMP TABLE ${snapshot} AS SELECT * FROM ${nameText}`);
    } catch (cause) {
      if (!/does not exist/.test(firstLine(cause))) throw cause;
      const at = original.indexOf(nameText);
      const { line, caret } = at >= 0 ? caretAt(original, at, at + nameText.length) : { line: original, caret: '' };
      throw new QueryError('table-missing', messages.tableMissing(identifierOf(tokens[last]!), caret ? `${line}\n${caret}` : line), { cause, context: { sql: original } });
    }
    const after = tokens[last + 1];
    const aliased = after !== undefined && (after.kind === 'quoted' || (after.kind === 'word' && !/^(where|group|order|having|limit|offset|join|left|right|inner|outer|full|cross|natural|positional|asof|anti|semi|on|using|window|qualify|union|except|intersect|sample|tablesample)$/i.test(after.text)));
    const replacement = aliased ? snapshot : `${snapshot} AS ${ident(identifierOf(tokens[last]!))}`;
    rewritten = rewritten.slice(0, tokens[first]!.start) + replacement + rewritten.slice(tokens[last]!.end);
  }
  return rewritten;
}
