/**
 * Where a query stands, cheaply (for a status line sampled a few times a second): its phase, the
 * history's progress, how far behind the topic's end it is, and its counts. Everything here is read
 * from counters the run keeps per batch; nothing is done per record.
 */
import type { ChangelogHub } from '../changelog/hub.js';
import type { Run } from '../run/driver.js';
import type { RunInput } from '../run/input.js';
import { US_PER_MS } from '../exec/windowSql.js';
import { QueryExecutor, type WindowExecutor } from './executor.js';

/** starting → history → handoff (working off what the topic gained meanwhile) → live → done. */
export type ProgressPhase = 'starting' | 'history' | 'handoff' | 'live' | 'done';

export interface HistoryProgress {
  /** Rows read so far (DuckDB's count for files and tables, records for a topic's backlog), and in all when known. */
  readonly rows: number;
  readonly totalRows?: number;
  /** Bytes read so far (estimated), and in all when known. */
  readonly bytes?: number;
  readonly totalBytes?: number;
  /** Fraction done, 0 to 1, when known. */
  readonly fraction?: number;
}

export interface TopicProgress {
  readonly topics: readonly string[];
  /** Records on the topics the run has not taken yet, up to their ends as the last fetches saw them. */
  readonly lag: number;
  /** Sums over partitions: the topics' ends as last seen, and the run's positions. */
  readonly end: number;
  readonly position: number;
}

export interface QueryProgress {
  readonly phase: ProgressPhase;
  /** When this was read, and when the run started (epoch ms). */
  readonly at: number;
  readonly startedAt: number;
  /** While the phase is 'history'. */
  readonly history?: HistoryProgress;
  /** Runs with a live topic. */
  readonly topic?: TopicProgress;
  /** Events taken in, late events (beyond the allowed lateness) and unreadable records (dead letters). */
  readonly events: number;
  readonly late: number;
  readonly deadLetters: number;
  /** Query watermark, epoch ms (null before any event). */
  readonly watermark: number | null;
}

/** An engine watermark (epoch µs, ±∞) in epoch ms, null before any event. */
export function watermarkMs(us: number): number | null {
  return Number.isFinite(us) ? Math.floor(us / US_PER_MS) : us > 0 ? Number.MAX_SAFE_INTEGER : null;
}

function phaseOf(run: Run<ChangelogHub>): ProgressPhase {
  switch (run.phase) {
    case 'starting': case 'history': case 'done': return run.phase;
    case 'live': return run.inputs.length === 0 || run.checkCaughtUp() ? 'live' : 'handoff';
  }
}

/** A topic's backlog by offsets: records read of those below the hand-off. */
function backlogProgress(inputs: readonly RunInput[]): HistoryProgress {
  let rows = 0;
  let totalRows = 0;
  let bytes = 0;
  for (const input of inputs) {
    bytes += input.backlogBytes;
    for (const [p, end] of input.handoff.backlogEnd ?? []) {
      const start = input.handoff.start.get(p) ?? 0;
      totalRows += Math.max(0, end - start);
      rows += Math.max(0, Math.min(end, input.read.get(p) ?? start) - start);
    }
  }
  const fraction = totalRows > 0 ? rows / totalRows : 1;
  return { rows, totalRows, bytes, ...(fraction > 0 ? { totalBytes: Math.round(bytes / fraction) } : {}), fraction };
}

/** Files and tables: DuckDB's progress of the history query, the files' size once fingerprinted. */
function duckProgress(exec: QueryExecutor): HistoryProgress | undefined {
  const conn = exec.setup?.conn;
  const p = conn?.progress;
  if (!p || p.percentage < 0) return undefined;
  const fraction = Math.min(1, p.percentage / 100);
  const totalBytes = exec.recorder.historyBytes();
  return {
    rows: Number(p.rows_processed),
    totalRows: Number(p.total_rows_to_process),
    fraction,
    ...(totalBytes === undefined ? {} : { totalBytes, bytes: Math.round(totalBytes * fraction) }),
  };
}

function historyProgress(run: Run<ChangelogHub>, exec: WindowExecutor): HistoryProgress | undefined {
  const backlog = run.inputs.filter((i) => i.handoff.backlogEnd !== undefined);
  if (backlog.length > 0) return backlogProgress(backlog);
  return exec instanceof QueryExecutor && exec.source.history ? duckProgress(exec) : undefined;
}

function topicProgress(inputs: readonly RunInput[]): TopicProgress | undefined {
  if (inputs.length === 0) return undefined;
  let end = 0;
  let position = 0;
  let lag = 0;
  for (const input of inputs) {
    for (const e of input.ends.values()) end += e;
    for (const p of input.processed.values()) position += p;
    lag += input.lag();
  }
  return { topics: [...new Set(inputs.map((i) => i.topic))], lag, end, position };
}

export function queryProgress(run: Run<ChangelogHub>, exec: WindowExecutor): QueryProgress {
  const phase = phaseOf(run);
  const stats = exec.engine?.stats;
  const history = phase === 'history' ? historyProgress(run, exec) : undefined;
  const topic = topicProgress(run.inputs);
  return {
    phase,
    at: Date.now(),
    startedAt: run.startedAt,
    ...(history ? { history } : {}),
    ...(topic ? { topic } : {}),
    events: stats?.events ?? 0,
    late: stats?.late ?? 0,
    deadLetters: stats?.deadLetters ?? 0,
    watermark: watermarkMs(exec.watermarkUs),
  };
}
