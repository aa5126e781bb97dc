/**
 * One query's Flink job, through the SQL Gateway: a session of its own, the tables and views, a
 * check that the query is a window aggregation (an insert-only changelog), the submitted SELECT,
 * and its result pages followed until EOS. Stopping either drains the job (STOP ... WITH DRAIN:
 * the sources end, the watermark goes to the end of time and every window closes, a flush) or
 * cancels it.
 */
import { FlinkError, QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { FlinkGateway, FlinkSession } from '../../flink/gateway.js';
import type { FlinkOperation } from '../../flink/operation.js';
import type { ColumnInfo, ResultRow } from '../../flink/types.js';
import { withDeadLetters } from './deadLetters.js';
import type { FlinkQuery } from './translate.js';

/** The root operator's changelog mode in EXPLAIN CHANGELOG_MODE's physical plan, e.g. "I" or "I,UB,UA". */
export function rootChangelogMode(explained: string): string | undefined {
  const physical = explained.split('== Optimized Physical Plan ==')[1] ?? explained;
  return /changelogMode=\[([^\]]*)\]/.exec(physical)?.[1];
}

export class FlinkJob {
  readonly jobId: string;
  readonly flinkVersion: string;
  readonly columns: readonly ColumnInfo[];
  /** Every statement run, the submitted query last (with the dead letters after its rows). */
  readonly script: readonly string[];
  /** Columns of the query's own rows; after them, a dead letter's (deadLetters.ts). */
  readonly width: number;
  private stopping = false;
  private readonly first: { rows: readonly ResultRow[]; next: string | undefined; eos: boolean };

  private constructor(
    private readonly session: FlinkSession,
    private readonly op: FlinkOperation,
    start: { jobId: string; version: string; columns: readonly ColumnInfo[]; rows: readonly ResultRow[]; next: string | undefined; eos: boolean; script: readonly string[]; width: number },
  ) {
    this.script = start.script;
    this.width = start.width;
    this.jobId = start.jobId;
    this.flinkVersion = start.version;
    this.columns = start.columns;
    this.first = { rows: start.rows, next: start.next, eos: start.eos };
  }

  /**
   * Opens a session, runs the statements, checks the query's changelog, submits it and waits until
   * Flink names its job. Fails (and leaves nothing open) on a gateway that does not answer, a
   * statement Flink rejects, or a query Flink would not run as a window aggregation.
   */
  static async submit(gateway: FlinkGateway, o: { properties: Readonly<Record<string, string>>; name: string; query: FlinkQuery; signal?: AbortSignal }): Promise<FlinkJob> {
    const { version } = await gateway.info();
    const session = await gateway.openSession(o.properties, o.name);
    try {
      const script = [...o.query.statements, `CREATE TEMPORARY VIEW \`wp_result\` AS ${o.query.select}`];
      for (const statement of script) await session.run(statement);
      // the query's rows, and the live records that do not read after them
      const described = (await session.run('DESCRIBE `wp_result`')).rows.map((r) => ({ name: String(r.fields[0]), type: String(r.fields[1]) }));
      const select = o.query.deadLetters.length > 0 ? withDeadLetters('wp_result', described, o.query.deadLetters) : 'SELECT * FROM `wp_result`';
      const plan = (await session.run(`EXPLAIN CHANGELOG_MODE ${o.query.select}`)).rows[0]?.fields[0];
      const explained = typeof plan === 'string' ? plan : '';
      const mode = rootChangelogMode(explained);
      if (mode !== undefined && mode !== 'I') throw new QueryError('flink-unsupported', messages.flinkUpdatingResult(o.query.select, mode));
      const op = await session.execute(select, { config: { 'pipeline.name': o.name } });
      // the first page that is not NOT_READY names the job (or the statement's failure shows)
      for await (const page of op.pages(o.signal ? { signal: o.signal } : {})) {
        if (page.jobId === undefined && page.resultType !== 'EOS') continue;
        return new FlinkJob(session, op, { jobId: page.jobId ?? '', version, columns: page.columns, rows: page.rows, next: page.next, eos: page.resultType === 'EOS' || page.next === undefined, script: [...script, select], width: described.length });
      }
      throw new FlinkError('statement-failed', messages.flinkStatementFailed(select, 'the gateway ended the result before naming a job'));
    } catch (e) {
      await session.close().catch(() => undefined);
      throw e;
    }
  }

  /**
   * Follows the result to its end, calling `onRows` with each page's rows. Resolves at EOS (a
   * bounded job, or a drained one) and when the job was cancelled by cancel(); rejects when the job fails.
   */
  async follow(onRows: (rows: readonly ResultRow[], columns: readonly ColumnInfo[]) => void): Promise<void> {
    let columns = this.columns;
    if (this.first.rows.length > 0) onRows(this.first.rows, columns);
    if (this.first.eos || this.first.next === undefined) return;
    let next: string | undefined = this.first.next;
    let wait = 50;
    try {
      while (next !== undefined && !this.stopping) {
        const page = await this.op.fetchPage(next);
        if (page.columns.length > 0) columns = page.columns;
        if (page.rows.length > 0) onRows(page.rows, columns);
        if (page.resultType === 'EOS') return;
        next = page.next;
        wait = page.rows.length > 0 ? 50 : Math.min(1000, wait * 2);
        if (page.rows.length === 0) await new Promise((r) => setTimeout(r, wait));
      }
    } catch (e) {
      if (this.stopping) return;
      throw e;
    }
  }

  /** Stops the sources and lets every window close (end of input = end of time); the result then ends with EOS. */
  async drain(): Promise<void> {
    await this.session.run(`STOP JOB '${this.jobId}' WITH SAVEPOINT WITH DRAIN`);
  }

  /** Cancels the job (closing its operation); follow() then resolves. */
  async cancel(): Promise<void> {
    this.stopping = true;
    await this.op.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.session.close().catch(() => undefined);
  }
}
