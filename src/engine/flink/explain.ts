/** explain() and provenance() of a Flink run: the engine, the job and its link, the Flink SQL. */
import type { Provenance } from '../provenance/types.js';
import type { ProvenanceRecorder, RunFacts } from '../provenance/record.js';
import type { FlinkQuery } from './translate.js';
import type { FlinkSettings } from './options.js';
import { jobLink } from './metrics.js';

export interface JobFacts {
  readonly gateway: string | undefined;
  readonly webUi: string | undefined;
  readonly jobId: string | undefined;
  readonly flinkVersion: string | undefined;
  readonly settings: FlinkSettings;
  readonly query: FlinkQuery | undefined;
  /** What the job ran, once submitted. */
  readonly script: readonly string[] | undefined;
}

export function explainFlink(j: JobFacts): string[] {
  const lines = [`engine: flink ${j.flinkVersion ?? ''} through the SQL Gateway at ${j.gateway ?? '(not reached)'}; parallelism ${j.settings.parallelism}, checkpoints every ${j.settings.checkpointIntervalMs} ms`];
  if (j.jobId) lines.push(`job: ${j.jobId}${j.webUi ? ` (${jobLink(j.webUi, j.jobId)})` : ''}`);
  const script = j.script ?? (j.query ? [...j.query.statements, j.query.select] : []);
  if (script.length > 0) lines.push('Flink SQL:', ...script.map((s) => `  ${s};`));
  return lines;
}

/** The local engine's provenance of the same reads, with the engine that ran them. */
export function flinkProvenance(recorder: ProvenanceRecorder, facts: RunFacts, j: JobFacts): Provenance {
  const base = recorder.build(facts);
  if (!j.jobId || !j.gateway) return base;
  return { ...base, engine: { name: 'flink', gateway: j.gateway, flinkVersion: j.flinkVersion ?? 'unknown', jobId: j.jobId, parallelism: j.settings.parallelism } };
}
