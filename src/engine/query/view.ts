/**
 * What a Query reads of its run: the single-source pipeline (QueryRun) and the interval join
 * (join/run.ts) both offer it.
 */
import type { QueryRun } from './run.js';

export type RunView = Pick<QueryRun, 'hub' | 'options' | 'done' | 'setup' | 'engine' | 'phase' | 'watermarkUs' | 'processed' | 'finish' | 'plan' | 'handoff' | 'mode' | 'until' | 'flush' | 'fail'> & {
  /** Resolves once the records before these offsets are processed (single-source runs). */
  readonly processedUpTo?: QueryRun['processedUpTo'];
  /** The event buffer (single-source runs). */
  readonly buffer?: QueryRun['buffer'];
  /** Extra explain() lines (the join's inputs and their hand-offs). */
  readonly explainLines?: () => string[];
};
