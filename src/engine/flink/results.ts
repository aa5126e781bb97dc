/**
 * A Flink job's result, as the query's changelog: each page's rows split into the query's rows
 * (closed windows, published as final) and the live records that did not read (kept in the
 * dead-letter table), counted for stats(); the job's own counters come from the JobManager.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { FlinkError, isWindowpaneError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { ChangelogHub } from '../changelog/hub.js';
import type { EngineStats } from '../exec/windowEngine.js';
import type { OutputShape } from '../exec/shape.js';
import { fixedLengthMs, type WindowSpec } from '../plan/window.js';
import { deadLetterOf, keepDeadLetters, type DeadLetter } from './deadLetters.js';
import type { FlinkJob } from './job.js';
import { jobLink, jobMetrics } from './metrics.js';
import { flinkRows } from './rows.js';
import { SESSION_GAP_SHIFT_MS } from './translate.js';

export class JobResults {
  private readonly counts = { pages: 0, windows: new Set<string>(), sourceRecords: 0, late: 0, deadLetters: 0 };
  /** Dead letters being written to DuckDB, one batch after the other. */
  private keeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly job: FlinkJob,
    private readonly o: { readonly hub: ChangelogHub; readonly conn: DuckDBConnection; readonly shape: OutputShape; readonly window: WindowSpec; readonly webUi: string | undefined; readonly gateway: string },
  ) {}

  /** Follows the result to its end; a job that failed is a flink-job-failed error with Flink's root cause and the job's page. */
  async follow(progress: () => void): Promise<void> {
    const { job, o } = this;
    const size = fixedLengthMs(o.window);
    const endShift = o.window.kind === 'session' ? SESSION_GAP_SHIFT_MS : 0;
    try {
      await job.follow((page, columns) => {
        const dead = page.map((r) => deadLetterOf(r, job.width));
        const letters = dead.filter((d): d is DeadLetter => d !== undefined);
        if (letters.length > 0) {
          this.counts.deadLetters += letters.length;
          this.keeping = this.keeping.then(() => keepDeadLetters(o.conn, letters));
        }
        const rows = flinkRows(page.filter((_r, i) => dead[i] === undefined), columns, o.shape, size, endShift);
        this.counts.pages++;
        for (const r of rows) this.counts.windows.add(`${r.windowStart}|${r.windowEnd}`);
        o.hub.publish(rows, Number.NEGATIVE_INFINITY, 'live');
        progress();
      });
    } catch (e) {
      if (!isWindowpaneError(e) || e.code !== 'statement-failed') throw e;
      // Flink's root cause, without the generated statement the gateway's error quotes
      const detail = isWindowpaneError(e.cause) && typeof e.cause.context.detail === 'string' ? e.cause.context.detail : e.message;
      throw new FlinkError('flink-job-failed', messages.flinkJobFailed(job.jobId, detail, o.webUi ? jobLink(o.webUi, job.jobId) : `the cluster behind ${o.gateway}`), { cause: e });
    }
  }

  /** Source records read and late events dropped, from the JobManager (when it is the local cluster's); the job's state. */
  async poll(): Promise<string | undefined> {
    if (!this.o.webUi) return undefined;
    const m = await jobMetrics(this.o.webUi, this.job.jobId);
    if (!m) return undefined;
    this.counts.sourceRecords = Math.max(this.counts.sourceRecords, m.sourceRecords);
    this.counts.late = Math.max(this.counts.late, m.lateDropped);
    return m.state;
  }

  /** Once the job has ended: its final counts (a finished job's are final once the JobManager has archived it), the dead letters written. */
  async settled(): Promise<void> {
    for (let i = 0; i < 10 && (await this.poll()) === 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 300));
    await this.keeping;
  }

  get finalWindows(): number {
    return this.counts.windows.size;
  }

  stats(): EngineStats {
    const c = this.counts;
    return { events: c.sourceRecords, deadLetters: c.deadLetters, late: c.late, revised: 0, retracted: 0, batches: c.pages, finalWindows: c.windows.size };
  }
}
