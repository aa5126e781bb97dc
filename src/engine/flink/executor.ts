/**
 * A window query on Flink, as the run driver's executor (run/driver.ts), remote:
 *   prepare  refuse what does not translate; DuckDB checks the plan and gives the output shape; the
 *            hand-off at exact offsets; history staged; the Flink SQL; the job submitted (prepare.ts)
 *   remote   the job reads history and live itself; its changelog (inserts: closed windows) goes
 *            into the hub page by page until EOS
 *   flush    STOP ... WITH DRAIN: every window closes; without a flush the job is cancelled
 */
import { FlinkError } from '../../errors.js';
import { messages } from '../../messages.js';
import { FlinkGateway } from '../../flink/gateway.js';
import { resolveGateway } from '../../flink/settings.js';
import { flinkPaths } from '../../local-flink/paths.js';
import { readClusterState } from '../../local-flink/state.js';
import { resolveBrokers, resolveSettings } from '../../kafka/connect.js';
import type { ChangelogHub } from '../changelog/hub.js';
import type { EngineStats } from '../exec/windowEngine.js';
import { planJoin, planSource, type PlanNode, type WindowSpec } from '../plan/types.js';
import { describeWindow } from '../plan/window.js';
import type { HandoffReport } from '../provenance/types.js';
import { queryWindow, windowHub, type WindowExecutor } from '../query/executor.js';
import type { Until } from '../run/bounded.js';
import { handoffReport } from '../run/handoffReport.js';
import type { RunInput } from '../run/input.js';
import type { RunOptions } from '../run/options.js';
import { openConnection, type Setup } from '../run/setup.js';
import type { SourceSpec } from '../source/types.js';
import { checkRunOptions } from './check.js';
import { FlinkJob } from './job.js';
import { parseFlinkOptions, sessionProperties, type FlinkSettings } from './options.js';
import { prepareRun } from './prepare.js';
import { Stage } from './stage.js';
import { JobResults } from './results.js';
import { translatePlan, type FlinkQuery } from './translate.js';
import { explainFlink, flinkProvenance, type JobFacts } from './explain.js';
import { ProvenanceRecorder } from '../provenance/record.js';
import { runKafka } from '../run/input.js';
import type { Provenance } from '../provenance/types.js';
import { stopOffsets } from '../run/bounded.js';

export class FlinkExecutor implements WindowExecutor {
  readonly hub: ChangelogHub;
  readonly source: SourceSpec;
  readonly window: WindowSpec;
  readonly hasLive: boolean;
  readonly idleTimeoutMs: number;
  readonly engine = undefined;
  readonly watermarkUs = Number.NEGATIVE_INFINITY;
  readonly settings: FlinkSettings;
  setup: Setup | undefined;
  inputs: RunInput[] = [];
  query: FlinkQuery | undefined;
  job: FlinkJob | undefined;
  gateway: string | undefined;
  webUi: string | undefined;
  /** The job's result reached EOS: its input ended (a bounded run, or a drain). */
  ended = false;
  readonly stage = new Stage();
  readonly recorder = new ProvenanceRecorder();
  readonly noProcessedUpTo = messages.flinkNoProcessedUpTo();
  private until: Until;
  private results: JobResults | undefined;
  private following: Promise<void> | undefined;
  private poller: NodeJS.Timeout | undefined;
  /** The run stopped the job (a cancel): its result ending is not the input's end. */
  private stopped = false;

  constructor(
    readonly plan: PlanNode,
    readonly options: RunOptions,
  ) {
    checkRunOptions(options);
    this.settings = parseFlinkOptions(options.flink);
    this.source = planSource(plan);
    this.window = queryWindow(plan);
    const join = planJoin(plan);
    this.hasLive = join ? planSource(join.left).live !== undefined || planSource(join.right).live !== undefined : this.source.live !== undefined;
    this.idleTimeoutMs = this.source.idleTimeoutMs;
    this.hub = windowHub(options, this.hasLive);
    this.until = options.until;
  }

  async prepare(): Promise<{ inputs: RunInput[]; until?: Until }> {
    // 1. DuckDB, the checks, the hand-offs and the staged files
    const { conn, owned } = await openConnection(this.options.duckdb, this.options.resources);
    this.setup = { conn, ownsInstance: owned } as Setup;
    const run = await prepareRun(this.plan, { conn, options: this.options, stage: this.stage, window: this.window });
    this.setup = { conn, ownsInstance: owned, ...run.setup };
    this.inputs = run.inputs;
    const until = run.until ?? this.options.until;
    this.until = until;
    if (!planJoin(this.plan)) await this.recorder.start(conn, this.source, this.source.live ? runKafka(this.options.kafka).kafka : undefined, this.options.replay);
    // 2. the Flink SQL
    const unbounded = [...run.sources.values()].some((s) => s.live !== undefined && s.live.stop === undefined);
    this.query = await translatePlan(this.plan, { conn, brokers: this.brokers(), unbounded, parallelism: this.settings.parallelism, sources: run.sources, lookups: run.lookups, ...(run.joinColumns ? { joinColumns: run.joinColumns } : {}) });
    // 3. the job
    this.gateway = this.settings.gateway ?? resolveGateway();
    const local = readClusterState(flinkPaths());
    this.webUi = local?.gateway === this.gateway ? local.webUi : undefined;
    const idle = Math.min(...[...run.sources.values()].map((s) => s.source.idleTimeoutMs));
    this.job = await FlinkJob.submit(new FlinkGateway(this.gateway), {
      properties: sessionProperties(this.settings, idle, `${this.stage.dir}/savepoints`),
      name: `windowpane: ${this.source.name} ${describeWindow(this.window)}`,
      query: this.query,
    });
    return { inputs: [], ...(run.until ? { until } : {}) };
  }

  /** The brokers as the cluster reaches them: the flink.brokers option, else this process's own (without credentials). */
  private brokers(): string {
    if (this.settings.brokers) return this.settings.brokers;
    const settings = resolveSettings();
    if (settings.sasl !== undefined || (settings.ssl !== undefined && settings.ssl !== false)) throw new FlinkError('flink-option', messages.flinkKafkaSecurity());
    return resolveBrokers(settings).join(',');
  }

  /** The job's changelog into the hub until its result ends. */
  remote(progress: () => void): Promise<void> {
    const results = new JobResults(this.job!, { hub: this.hub, conn: this.setup!.conn, shape: this.setup!.shape, window: this.window, webUi: this.webUi, gateway: this.gateway! });
    this.results = results;
    this.poller = setInterval(() => void results.poll(), 2000);
    this.following = results.follow(progress).then(() => void (this.ended = !this.stopped));
    return this.following;
  }

  async backlog(): Promise<void> {}
  async history(): Promise<void> {}
  async live(): Promise<void> {}

  finalWindows(): number {
    return this.results?.finalWindows ?? 0;
  }

  /** A flush: the job is drained, so every window closes and the result ends. */
  async flush(): Promise<void> {
    if (this.ended || !this.job) return;
    try {
      await this.job.drain();
    } catch (e) {
      await this.job.cancel();
      throw e;
    }
    await this.following;
  }

  /** Before the run reports done: a job still running is cancelled, its last metrics read. */
  async settled(): Promise<void> {
    if (this.job && !this.ended) {
      this.stopped = true;
      await this.job.cancel();
      await this.following?.catch(() => undefined);
    }
    clearInterval(this.poller);
    await this.results?.settled();
    await this.recorder.ready.catch(() => undefined);
  }

  engineStats(): EngineStats {
    return this.results?.stats() ?? { events: 0, deadLetters: 0, late: 0, revised: 0, retracted: 0, batches: 0, finalWindows: 0 };
  }

  private facts(): JobFacts {
    return { gateway: this.gateway, webUi: this.webUi, jobId: this.job?.jobId, flinkVersion: this.job?.flinkVersion, settings: this.settings, query: this.query, script: this.job?.script };
  }

  explainEngine(): string[] {
    return explainFlink(this.facts());
  }

  /** What the run read: the local engine's record, its offsets up to the stop of a job that ended, and the job. */
  provenance(run: { readonly emit: string; readonly flush: boolean; readonly until: string; readonly finished: boolean }): Provenance | undefined {
    if (planJoin(this.plan)) return undefined;
    const input = this.inputs[0];
    const stop = input && this.ended ? stopOffsets(this.until, input.atStart.high) : undefined;
    return flinkProvenance(this.recorder, { plan: this.plan, source: this.source, ...run, processed: stop ?? input?.handoff.start ?? new Map(), handoff: this.handoffReport() }, this.facts());
  }

  handoffReport(): HandoffReport | undefined {
    const input = this.inputs[0];
    return input ? handoffReport(input.handoff, undefined, input.source.name, input.topic) : undefined;
  }

  /** The staged files go at once when the job is over (it ended, or settled() cancelled it); a job still running (a failed run) is cancelled first. */
  close(): void {
    clearInterval(this.poller);
    const job = this.job;
    if (!job || this.ended || this.stopped) this.stage.remove();
    void (async () => {
      if (job && !this.ended && !this.stopped) {
        await job.cancel();
        this.stage.remove();
      }
      await job?.close();
    })();
  }
}
