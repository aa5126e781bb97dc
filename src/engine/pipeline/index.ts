/** Stateless pipelines: filter, derive and select over history then live, at exact offsets. */
export { runPipeline, pipeline } from './api.js';
export { Pipeline, type PipelineStats } from './pipeline.js';
export type { PipelineOptions } from '../run/options.js';
export type { PipelineRecord } from './output.js';
