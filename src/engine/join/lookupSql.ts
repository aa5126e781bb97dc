/** The enrichment step in DuckDB SQL: a left join of the stream rows with the table's snapshot. */
import { ident } from '../exec/duck.js';
import type { PlanNode } from '../plan/types.js';

type EnrichNode = Extract<PlanNode, { kind: 'enrich' }>;

export function enrichSql(node: EnrichNode, input: string): string {
  const named = Object.entries(node.columns);
  const cols = named.length > 0 ? named.map(([name, col]) => `__wp_t.${ident(col)} AS ${ident(name)}`).join(', ') : `__wp_t.* EXCLUDE (${node.on.map(ident).join(', ')})`;
  const on = node.on.map((k) => `__wp_s.${ident(k)} = __wp_t.${ident(k)}`).join(' AND ');
  return `SELECT __wp_s.*, ${cols} FROM (${input}) AS __wp_s LEFT JOIN ${node.snapshot} AS __wp_t ON ${on}`;
}
