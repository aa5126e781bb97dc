/** What a Query reports of its run's provenance and overlap (single-source runs). */
import type { ChangelogHub } from '../changelog/hub.js';
import type { Scalar } from '../changelog/types.js';
import { readRecords } from '../exec/duck.js';
import type { Provenance } from '../provenance/types.js';
import type { Run } from '../run/driver.js';
import { OVERLAP_TABLE } from '../run/overlap.js';
import { QueryExecutor, type WindowExecutor } from './executor.js';

export function runProvenance(run: Run<ChangelogHub>, exec: WindowExecutor): Provenance | undefined {
  if (exec.provenance) return exec.provenance({ emit: run.options.emit, flush: run.flush, until: run.until.kind, finished: run.phase === 'done' });
  if (!(exec instanceof QueryExecutor)) return undefined;
  return exec.recorder.build({
    plan: exec.plan,
    source: exec.source,
    emit: run.options.emit,
    flush: run.flush,
    until: run.until.kind,
    finished: run.phase === 'done',
    processed: run.processed,
    handoff: exec.handoffReport(),
  });
}

/** The live events at or before a time hand-off's boundary (history holds them), by partition and offset. */
export async function overlapEvents(exec: WindowExecutor): Promise<Record<string, Scalar>[]> {
  const conn = exec instanceof QueryExecutor && exec.overlap ? exec.setup?.conn : undefined;
  return conn ? readRecords(conn, `SELECT * FROM ${OVERLAP_TABLE} ORDER BY _partition, _offset`) : [];
}
