/**
 * The plan as DuckDB SQL. One renderer serves both phases: history renders over the history
 * relation; live renders over the table of buffered events, limited to the windows a batch touched.
 */
import { assertNever, type PlanNode } from '../plan/types.js';
import { WINDOWED_PLACEHOLDER } from '../sql/windowCall.js';
import { ident } from './duck.js';
import { windowedSql } from './windowSql.js';
import { enrichSql } from '../join/lookupSql.js';

export interface RenderTarget {
  /** The relation the leaf reads (a table, a view, or a parenthesised query; for a join, its output). */
  readonly relation: string;
  /** Limits the window node: a table of window ends (µs, column `we`) for grid windows, a list of sessions for session windows. */
  readonly touched?: string;
}

function columns(cols: Readonly<Record<string, string>>): string {
  return Object.entries(cols)
    .map(([name, expr]) => `${expr} AS ${ident(name)}`)
    .join(', ');
}

export function renderPlan(node: PlanNode, target: RenderTarget): string {
  switch (node.kind) {
    case 'scan':
    case 'intervalJoin':
      return `SELECT * FROM ${target.relation}`;
    case 'filter':
    case 'having':
      return `SELECT * FROM (${renderPlan(node.input, target)}) WHERE ${node.predicate}`;
    case 'derive':
      return `SELECT *, ${columns(node.columns)} FROM (${renderPlan(node.input, target)})`;
    case 'select':
      return `SELECT ${columns(node.columns)} FROM (${renderPlan(node.input, target)})`;
    case 'window':
      return windowedSql(node.window, renderPlan(node.input, target), target.touched);
    case 'aggregate': {
      const keys = Object.entries(node.keys).map(([name, expr]) => `${expr} AS ${ident(name)}`);
      const aggs = Object.entries(node.aggregates).map(([name, expr]) => `${expr} AS ${ident(name)}`);
      const groupBy = ['window_start', 'window_end', ...Object.values(node.keys)].join(', ');
      return `SELECT ${['window_start', 'window_end', ...keys, ...aggs].join(', ')} FROM (${renderPlan(node.input, target)}) GROUP BY ${groupBy}`;
    }
    case 'order':
      return `SELECT * FROM (${renderPlan(node.input, target)}) ORDER BY ${node.by.join(', ')}`;
    case 'enrich':
      return enrichSql(node, renderPlan(node.input, target));
    case 'statement':
      return node.sql.split(WINDOWED_PLACEHOLDER).join(`(${renderPlan(node.input, target)})`);
    default:
      return assertNever(node);
  }
}
