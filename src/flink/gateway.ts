/**
 * A small typed client of Flink's SQL Gateway REST API (Flink 2.x):
 *
 *   const gateway = new FlinkGateway('http://127.0.0.1:8083');
 *   const session = await gateway.openSession({ 'parallelism.default': '2' });
 *   const op = await session.execute('SELECT ...');
 *   for await (const row of op.rows()) ...   // { kind: 'INSERT' | 'UPDATE_BEFORE' | ..., fields }
 *   await op.close(); await session.close();
 *
 * Every failure is a FlinkError whose message names the gateway: one that cannot be reached says
 * how to start the local cluster (`windowpane flink start`).
 */
import { FlinkError } from '../errors.js';
import { messages } from '../messages.js';
import { anyReply, restCall, type RestOptions } from './rest.js';
import { FlinkOperation } from './operation.js';
import { assertApiVersions, assertInfo, assertOperationHandle, assertSessionHandle } from './types.js';

/** The REST API versions this client speaks, newest first (v2 added the JSON row format). */
const apiVersions = ['v4', 'v3', 'v2'] as const;

export interface GatewayInfo {
  readonly productName: string;
  readonly version: string;
}

export interface ExecuteOptions {
  /** Configuration for this statement only, e.g. { 'pipeline.name': 'windowpane: fraud' }. */
  readonly config?: Readonly<Record<string, string>>;
}

export class FlinkGateway {
  readonly url: string;
  readonly #rest: RestOptions;
  #api: string | undefined;

  constructor(url: string, options: RestOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.#rest = options;
  }

  /** Product name and Flink version: the gateway answers this once it is up. */
  async info(): Promise<GatewayInfo> {
    return restCall(this.url, 'GET', '/v1/info', 'report its version', assertInfo, undefined, this.#rest);
  }

  /** The newest REST API version both sides speak. */
  async api(): Promise<string> {
    if (this.#api) return this.#api;
    const { versions } = await restCall(this.url, 'GET', '/v1/api_versions', 'list its API versions', assertApiVersions, undefined, this.#rest);
    const spoken = versions.map((v) => v.toLowerCase());
    this.#api = apiVersions.find((v) => spoken.includes(v)) ?? 'v2';
    return this.#api;
  }

  /** Opens a session; `properties` override the cluster's configuration for its statements. */
  async openSession(properties: Readonly<Record<string, string>> = {}, name?: string): Promise<FlinkSession> {
    const api = await this.api();
    const body = { properties, ...(name ? { sessionName: name } : {}) };
    const { sessionHandle } = await restCall(this.url, 'POST', `/${api}/sessions`, 'open a session', assertSessionHandle, body, this.#rest);
    return new FlinkSession(this.url, api, sessionHandle, this.#rest);
  }
}

/** A gateway session: statements run in it share its catalog, its tables and its configuration. */
export class FlinkSession {
  readonly gateway: string;
  readonly handle: string;
  readonly #api: string;
  readonly #rest: RestOptions;

  constructor(gateway: string, api: string, handle: string, rest: RestOptions) {
    this.gateway = gateway;
    this.#api = api;
    this.handle = handle;
    this.#rest = rest;
  }

  get #path(): string {
    return `/${this.#api}/sessions/${this.handle}`;
  }

  /** Submits a statement; its result (or its error) comes from the returned operation. */
  async execute(statement: string, options: ExecuteOptions = {}): Promise<FlinkOperation> {
    const body = { statement, ...(options.config ? { executionConfig: options.config } : {}) };
    const { operationHandle } = await restCall(this.gateway, 'POST', `${this.#path}/statements`, 'accept a statement', assertOperationHandle, body, this.#rest);
    return new FlinkOperation({ base: this.gateway, api: this.#api, session: this.handle, rest: this.#rest }, operationHandle, statement);
  }

  /** Runs a bounded statement (DDL, SET, a batch query) to its end and closes it. */
  async run(statement: string, options: ExecuteOptions & { readonly timeoutMs?: number } = {}): ReturnType<FlinkOperation['collect']> {
    const op = await this.execute(statement, options);
    try {
      return await op.collect(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    } finally {
      await op.close().catch(() => undefined);
    }
  }

  /** Cancels a job by id (`STOP JOB`), e.g. the job of an INSERT that outlives its operation. */
  async stopJob(jobId: string): Promise<void> {
    if (!/^[0-9a-f]{32}$/.test(jobId)) throw new FlinkError('invalid-job-id', messages.flinkJobIdInvalid(jobId));
    await this.run(`STOP JOB '${jobId}'`);
  }

  /** Keeps an idle session from expiring (the gateway closes sessions idle for 10 minutes by default). */
  async heartbeat(): Promise<void> {
    await restCall(this.gateway, 'POST', `${this.#path}/heartbeat`, 'keep a session alive', anyReply, {}, this.#rest);
  }

  async close(): Promise<void> {
    await restCall(this.gateway, 'DELETE', this.#path, 'close a session', anyReply, undefined, this.#rest);
  }
}
