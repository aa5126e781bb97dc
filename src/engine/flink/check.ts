/**
 * What engine 'flink' refuses before anything is staged or submitted: run options Flink's window
 * aggregation cannot honour, windows Flink does not have, and every expression of the plan that does
 * not translate (dialect.ts names it). Each refusal is a QueryError or ConfigError from the catalogue.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfigError, QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { dependentFields, planChain, type PlanNode } from '../plan/types.js';
import { describeWindow } from '../plan/window.js';
import type { RunOptions } from '../run/options.js';
import { flinkSql } from './dialect.js';

/** Run options with no counterpart on Flink. */
export function checkRunOptions(o: RunOptions): void {
  const refuse = (option: string, why: string): never => {
    throw new ConfigError('flink-option', messages.flinkRunOption(option, why));
  };
  if (o.emit === 'updates') refuse("emit: 'updates'", "Flink's window aggregation emits each window once, when the watermark closes it, and no provisional rows before. Use emit: 'final' (the default).");
  if (o.allowedLatenessMs > 0) refuse('allowedLateness', "Flink's window TVFs drop an event that comes after its window closed; they make no revised rows. Leave allowedLateness at 0.");
  if (o.flush === false && o.until.kind !== 'unbounded') refuse('flush: false', 'a bounded Flink job closes every window when its input ends. Leave flush at its default.');
}

/** Every node's expressions through the dialect (each refuses what does not translate); windows Flink lacks. */
export async function checkPlan(plan: PlanNode, conn: DuckDBConnection): Promise<void> {
  for (const node of chainWithJoins(plan)) {
    if (node.kind === 'window' && node.window.kind === 'hop' && node.window.sizeMs % node.window.slideMs !== 0) {
      throw new QueryError('flink-unsupported', messages.flinkUnsupported(describeWindow(node.window), describeWindow(node.window), "Flink's HOP needs the size to be a whole multiple of the slide."));
    }
    if (node.kind === 'order') throw new QueryError('flink-unsupported', messages.flinkUnsupported('orderBy()', node.by.join(', '), messages.flinkHintSyntax('order')));
    if (node.kind === 'statement') await flinkSql(conn, node.sql, { form: 'statement' });
    else if (node.kind === 'intervalJoin' && node.on.kind === 'sql') await flinkSql(conn, node.on.sql, { form: 'expression' });
    else if (node.kind !== 'enrich' && node.kind !== 'window') for (const e of dependentFields(node)) await flinkSql(conn, e, { form: 'expression' });
  }
}

/** The chain's nodes, and those of both inputs of an interval join. */
function chainWithJoins(plan: PlanNode): PlanNode[] {
  return planChain(plan).flatMap((n) => (n.kind === 'intervalJoin' ? [...chainWithJoins(n.left), ...chainWithJoins(n.right), n] : [n]));
}
