/** What a Query reports of its run's hand-off and provenance (single-source runs). */
import type { Scalar } from '../changelog/types.js';
import { readRecords } from '../exec/duck.js';
import type { HandoffReport, Provenance } from '../provenance/types.js';
import { handoffReport } from '../run/handoffReport.js';
import { OVERLAP_TABLE } from '../run/overlap.js';
import { QueryRun } from './run.js';

export function runHandoff(run: unknown): HandoffReport | undefined {
  return run instanceof QueryRun && run.handoff ? handoffReport(run.handoff, run.overlap, run.source.name, run.source.live?.topic) : undefined;
}

export function runProvenance(run: unknown): Provenance | undefined {
  if (!(run instanceof QueryRun)) return undefined;
  return run.recorder.build({
    plan: run.plan,
    source: run.source,
    emit: run.mode,
    flush: run.flush,
    until: run.until.kind,
    finished: run.phase === 'done',
    processed: run.processed,
    handoff: runHandoff(run),
  });
}

/** The live events at or before a time hand-off's boundary (history holds them), by partition and offset. */
export async function overlapEvents(run: unknown): Promise<Record<string, Scalar>[]> {
  const conn = run instanceof QueryRun && run.overlap ? run.setup?.conn : undefined;
  return conn ? readRecords(conn, `SELECT * FROM ${OVERLAP_TABLE} ORDER BY _partition, _offset`) : [];
}
