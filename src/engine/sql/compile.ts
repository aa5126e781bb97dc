import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { PlanNode } from '../plan/types.js';
import { sourceNode, type Source } from '../source/define.js';
import { findWindowCall } from './windowCall.js';

export type SourcesInput = Readonly<Record<string, Source>> | readonly Source[];

function sourceMap(sources: SourcesInput): Map<string, Source> {
  const list = Array.isArray(sources) ? (sources as readonly Source[]) : Object.values(sources as Record<string, Source>);
  return new Map(list.map((s) => [s.spec.name.toLowerCase(), s]));
}

/**
 * Compiles SQL with a window table function to a plan: scan (or interval join) → window → statement. The statement
 * is the user's SQL over the windowed relation; DuckDB checks it when the query starts.
 */
export function compileSql(sql: string, sources: SourcesInput): PlanNode {
  const call = findWindowCall(sql);
  const known = sourceMap(sources);
  const source = known.get(call.sourceName.toLowerCase());
  if (!source) {
    throw new QueryError('unknown-source', messages.unknownSource(call.sourceName, [...known.values()].map((s) => s.spec.name).join(', ')), { context: { sql } });
  }
  if (call.window.timeColumn.toLowerCase() !== source.spec.time.toLowerCase()) {
    throw new QueryError('window-time-column', messages.windowTimeColumn(call.window.timeColumn, source.spec.name, source.spec.time), { context: { sql } });
  }
  const window: PlanNode = { kind: 'window', input: sourceNode(source), window: { ...call.window, timeColumn: source.spec.time } };
  return { kind: 'statement', input: window, relation: source.spec.name, sql: call.rewritten, original: sql };
}
