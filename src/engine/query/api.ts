/** The two ways to run a query: run(plan or builder) and sql(text, { sources }). */
import { FlinkExecutor } from '../flink/executor.js';
import { JoinExecutor } from '../join/executor.js';
import { planJoin, type PlanNode } from '../plan/types.js';
import { Run } from '../run/driver.js';
import { parseQueryOptions, type QueryRunOptions } from '../run/options.js';
import { compileSql, type SourcesInput } from '../sql/compile.js';
import { QueryExecutor } from './executor.js';
import { Query } from './query.js';

export type { QueryRunOptions } from '../run/options.js';

/**
 * Starts a query. Resolves once it is validated and its sources are reachable (bad SQL, a missing
 * column, file or topic, or an unreachable broker reject here); data then flows in the background.
 */
export async function run(query: PlanNode | { plan(): PlanNode }, options: QueryRunOptions = {}): Promise<Query> {
  const plan = 'kind' in query ? query : query.plan();
  const parsed = parseQueryOptions(options);
  const exec = parsed.engine === 'flink' ? new FlinkExecutor(plan, parsed) : planJoin(plan) ? new JoinExecutor(plan, parsed) : new QueryExecutor(plan, parsed);
  return new Query(await Run.start(exec, parsed), exec);
}

/** Compiles SQL with TUMBLE/HOP in FROM over the given sources, and runs it. */
export function sql(text: string, options: QueryRunOptions & { readonly sources: SourcesInput }): Promise<Query> {
  const { sources, ...rest } = options;
  return run(compileSql(text, sources), rest);
}
