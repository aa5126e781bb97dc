/** The two ways to start a pipeline: runPipeline(builder or plan) and pipeline(sql, { sources }). */
import type { PlanNode } from '../plan/types.js';
import type { SourcesInput } from '../sql/compile.js';
import { compilePipelineSql } from './compile.js';
import { Pipeline } from './pipeline.js';
import { PipelineRun, type PipelineOptions } from './run.js';

/**
 * Starts a stateless pipeline. Resolves once it is validated and its sources are reachable; records
 * start flowing on the next turn of the event loop once the sinks attached by then are open, so
 * consumers attached right away (awaiting only sinks in between) miss nothing.
 */
export async function runPipeline(query: PlanNode | { plan(): PlanNode }, options: PipelineOptions = {}): Promise<Pipeline> {
  const r = new PipelineRun('kind' in query ? query : query.plan(), options);
  try {
    await r.prepare();
  } catch (e) {
    r.setup?.conn.closeSync();
    r.setup?.ownsInstance?.closeSync();
    throw e;
  }
  void r.start();
  return new Pipeline(r);
}

/** A pipeline from SQL without a window call over one source: SELECT ... FROM source WHERE ... */
export async function pipeline(text: string, options: PipelineOptions & { readonly sources: SourcesInput }): Promise<Pipeline> {
  const { sources, ...rest } = options;
  return runPipeline(compilePipelineSql(text, sources), rest);
}
