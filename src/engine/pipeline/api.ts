/** The two ways to start a pipeline: runPipeline(builder or plan) and pipeline(sql, { sources }). */
import type { PlanNode } from '../plan/types.js';
import { Run } from '../run/driver.js';
import { parsePipelineOptions, type PipelineOptions } from '../run/options.js';
import type { SourcesInput } from '../sql/compile.js';
import { compilePipelineSql } from './compile.js';
import { PipelineExecutor } from './executor.js';
import { Pipeline } from './pipeline.js';

/**
 * Starts a stateless pipeline. Resolves once it is validated and its sources are reachable; records
 * start flowing on the next turn of the event loop once the sinks attached by then are open, so
 * consumers attached right away (awaiting only sinks in between) miss nothing.
 */
export async function runPipeline(query: PlanNode | { plan(): PlanNode }, options: PipelineOptions = {}): Promise<Pipeline> {
  const parsed = parsePipelineOptions(options);
  const exec = new PipelineExecutor('kind' in query ? query : query.plan(), parsed);
  return new Pipeline(await Run.start(exec, parsed), exec);
}

/** A pipeline from SQL without a window call over one source: SELECT ... FROM source WHERE ... */
export async function pipeline(text: string, options: PipelineOptions & { readonly sources: SourcesInput }): Promise<Pipeline> {
  const { sources, ...rest } = options;
  return runPipeline(compilePipelineSql(text, sources), rest);
}
