import { setTimeout as delay } from 'node:timers/promises';
import { FlinkError, isWindowpaneError } from '../errors.js';
import { messages } from '../messages.js';
import { anyReply, restCall, type RestOptions } from './rest.js';
import { assertFetchResults, assertStatus, type ColumnInfo, type OperationStatus, type ResultRow, type ResultType } from './types.js';

/** One page of an operation's result. */
export interface ResultPage {
  readonly resultType: ResultType;
  /** Empty until the gateway knows the schema (NOT_READY pages). */
  readonly columns: readonly ColumnInfo[];
  readonly rows: readonly ResultRow[];
  /** The Flink job that produces the result, for queries and INSERTs. */
  readonly jobId?: string;
  /** True for a query's rows, false for the one-row answers of DDL, SET, INSERT and the like. */
  readonly isQueryResult: boolean;
  /** The path of the next page (absent at EOS). */
  readonly next?: string;
}

export interface PagesOptions {
  /** Stops following pages (the operation stays open: close() or cancel() ends it). */
  readonly signal?: AbortSignal;
  /** Wait between polls when the gateway has no new rows, doubling from this up to 1 s (default 50 ms). */
  readonly pollMs?: number;
}

/** What the session tells its operations: where the gateway is and how to call it. */
export interface OperationContext {
  readonly base: string;
  readonly api: string;
  readonly session: string;
  readonly rest: RestOptions;
}

/**
 * A statement running in the gateway. Its result is a sequence of pages, each found at the previous
 * page's nextResultUri, until EOS; a streaming query's result has no EOS and goes on until the
 * operation is closed or cancelled (which cancels its job).
 */
export class FlinkOperation {
  readonly handle: string;
  readonly statement: string;
  readonly #ctx: OperationContext;
  #jobId: string | undefined;

  constructor(ctx: OperationContext, handle: string, statement: string) {
    this.#ctx = ctx;
    this.handle = handle;
    this.statement = statement;
  }

  get #path(): string {
    return `/${this.#ctx.api}/sessions/${this.#ctx.session}/operations/${this.handle}`;
  }

  /** The job id, once a page has named it. */
  get jobId(): string | undefined {
    return this.#jobId;
  }

  /** One page: `token` 0 is the first; later pages come from `page.next`. */
  async fetchPage(tokenOrNext: number | string = 0): Promise<ResultPage> {
    const path = typeof tokenOrNext === 'number' ? `${this.#path}/result/${tokenOrNext}?rowFormat=JSON` : tokenOrNext;
    let body;
    try {
      body = await restCall(this.#ctx.base, 'GET', path, 'fetch results', assertFetchResults, undefined, this.#ctx.rest);
    } catch (e) {
      // A failed statement shows here, as an HTTP error: report it with the statement.
      if (isWindowpaneError(e) && e.code === 'gateway-refused') {
        throw new FlinkError('statement-failed', messages.flinkStatementFailed(this.statement, String(e.context.detail ?? e.message)), { cause: e, context: { gateway: this.#ctx.base, operation: this.handle } });
      }
      throw e;
    }
    if (body.jobID) this.#jobId = body.jobID;
    return {
      resultType: body.resultType,
      columns: body.results?.columns ?? [],
      rows: body.results?.data ?? [],
      isQueryResult: body.isQueryResult ?? false,
      ...(body.jobID ? { jobId: body.jobID } : {}),
      ...(body.nextResultUri ? { next: body.nextResultUri } : {}),
    };
  }

  /**
   * Every page from the first, waiting while the gateway has nothing new (NOT_READY, or a PAYLOAD
   * without rows). Ends after the EOS page, or when the signal aborts.
   */
  async *pages(options: PagesOptions = {}): AsyncGenerator<ResultPage> {
    const base = options.pollMs ?? 50;
    let wait = base;
    let at: number | string = 0;
    while (!options.signal?.aborted) {
      const page = await this.fetchPage(at);
      if (page.resultType !== 'NOT_READY') yield page;
      if (page.resultType === 'EOS' || page.next === undefined) return;
      at = page.next;
      if (page.rows.length > 0) wait = base;
      else {
        await delay(wait, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
        wait = Math.min(1000, wait * 2);
      }
    }
  }

  /** The result's rows as they arrive, each with its changelog kind. */
  async *rows(options: PagesOptions = {}): AsyncGenerator<ResultRow> {
    for await (const page of this.pages(options)) for (const row of page.rows) yield row;
  }

  /** The whole result of a bounded statement: its columns and every row, up to EOS. */
  async collect(options: PagesOptions & { readonly timeoutMs?: number } = {}): Promise<{ columns: readonly ColumnInfo[]; rows: ResultRow[]; jobId?: string }> {
    const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signal = timeout && options.signal ? AbortSignal.any([timeout, options.signal]) : (timeout ?? options.signal);
    let columns: readonly ColumnInfo[] = [];
    const rows: ResultRow[] = [];
    let eos = false;
    for await (const page of this.pages({ ...options, ...(signal ? { signal } : {}) })) {
      if (page.columns.length > 0) columns = page.columns;
      rows.push(...page.rows);
      eos = page.resultType === 'EOS';
    }
    if (!eos && timeout?.aborted) {
      await this.cancel().catch(() => undefined);
      throw new FlinkError('statement-timeout', messages.flinkOperationTimeout(Math.round(options.timeoutMs! / 1000), this.statement), { context: { gateway: this.#ctx.base, operation: this.handle } });
    }
    return { columns, rows, ...(this.#jobId ? { jobId: this.#jobId } : {}) };
  }

  async status(): Promise<OperationStatus> {
    return (await restCall(this.#ctx.base, 'GET', `${this.#path}/status`, 'report an operation status', assertStatus, undefined, this.#ctx.rest)).status;
  }

  /** Cancels the operation (and the job of a query). */
  async cancel(): Promise<OperationStatus> {
    return (await restCall(this.#ctx.base, 'POST', `${this.#path}/cancel`, 'cancel an operation', assertStatus, {}, this.#ctx.rest)).status;
  }

  /** Closes the operation and frees its results (a running query's job is cancelled). */
  async close(): Promise<void> {
    await restCall(this.#ctx.base, 'DELETE', `${this.#path}/close`, 'close an operation', anyReply, undefined, this.#ctx.rest);
  }
}
