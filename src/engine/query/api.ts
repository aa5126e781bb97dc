/** The two ways to run a query: run(plan or builder) and sql(text, { sources }). */
import { JoinRun } from '../join/run.js';
import { planJoin, type PlanNode } from '../plan/types.js';
import { compileSql, type SourcesInput } from '../sql/compile.js';
import { Query } from './query.js';
import { QueryRun, type RunOptions } from './run.js';
import { asResourceError } from '../run/resources.js';

export type { RunOptions } from './run.js';

/**
 * Starts a query. Resolves once it is validated and its sources are reachable (bad SQL, a missing
 * column, file or topic, or an unreachable broker reject here); data then flows in the background.
 */
export async function run(query: PlanNode | { plan(): PlanNode }, options: RunOptions = {}): Promise<Query> {
  const plan = 'kind' in query ? query : query.plan();
  const r = planJoin(plan) ? new JoinRun(plan, options) : new QueryRun(plan, options);
  try {
    await r.prepare();
  } catch (e) {
    r.setup?.conn.closeSync();
    r.setup?.ownsInstance?.closeSync();
    throw asResourceError(e, options.memoryLimit);
  }
  void r.start();
  return new Query(r);
}

/** Compiles SQL with TUMBLE/HOP in FROM over the given sources, and runs it. */
export function sql(text: string, options: RunOptions & { readonly sources: SourcesInput }): Promise<Query> {
  const { sources, ...rest } = options;
  return run(compileSql(text, sources), rest);
}
