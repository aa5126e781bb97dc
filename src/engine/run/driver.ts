/**
 * The run lifecycle, the same for every kind of run (window query, interval join, stateless
 * pipeline); what differs is the executor's:
 *
 *   1. prepare   the executor sets up DuckDB, checks the plan and plans each live input's hand-off
 *                (awaited by run(): bad SQL, a missing column, file or topic reject there)
 *   2. history   files and tables at once; a topic's backlog arrives through its reader first, and
 *                the history step runs once every input's backlog is loaded
 *   3. hand-off  each reader starts at its hand-off offsets; live records that arrive before the
 *                history step is done wait, then go through in order
 *   4. live      micro-batches, timer ticks; a bounded run ends at its stop offsets, duration or
 *                number of final windows
 *   5. finish    readers stop, a flush closes every window, the hub ends, the executor closes
 *
 * Every step that touches DuckDB runs in one serial queue, so batches, ticks and the flush never
 * interleave.
 */
import { QueryError } from '../../errors.js';
import { concatBatches } from '../../kafka/batch.js';
import { brokerTimeoutMs } from '../../kafka/connect.js';
import type { RecordBatch, TopicReader } from '../../kafka/reader.js';
import { messages } from '../../messages.js';
import { reached, type Until } from './bounded.js';
import type { RunInput } from './input.js';
import { inputReader } from './inputReader.js';
import type { RunOptions } from './options.js';
import { Outages, type BrokerStats, type StreamClock } from './outage.js';
import { outcome, Serial } from './outcome.js';
import { asRunError } from './resources.js';
import type { DuckSetup } from './setup.js';

export type RunPhase = 'starting' | 'history' | 'live' | 'done';

/** What a run's hub must offer the driver: its end (with the run's failure, if any). */
export interface EndingHub {
  end(failure?: unknown): void;
}

/** What one kind of run does at each step of the lifecycle. */
export interface Executor<H extends EndingHub = EndingHub> {
  readonly hub: H;
  /** Set as soon as step 1 has opened DuckDB. */
  readonly setup: DuckSetup | undefined;
  /**
   * Step 1: DuckDB, the plan's check, the live inputs with their hand-offs. Optionally a new bound
   * (a replay's recorded ends). The clock is the one for idle timeouts: it stands still while a live
   * input is cut off from its broker.
   */
  prepare(context: { readonly clock: StreamClock }): Promise<{ readonly inputs: readonly RunInput[]; readonly until?: Until }>;
  /** Whether any input has a live part (an unbounded run over history alone flushes by default). */
  readonly hasLive: boolean;
  /** The idle timeout of the run's stream (ticks come at least four times within it). */
  readonly idleTimeoutMs: number;
  /** Before any record moves (a pipeline waits for the sinks attached at its start). */
  ready?(): Promise<void>;
  /** Step 2: backlog records of one input, below its hand-off. */
  backlog(input: RunInput, partition: number, batch: RecordBatch): Promise<void>;
  /** Step 2: every input's history is in; `endOfInput` when nothing follows and the run flushes. */
  history(endOfInput: boolean): Promise<void>;
  /** Step 4: one micro-batch of one input, in offset order. */
  live(input: RunInput, partition: number, batch: RecordBatch): Promise<void>;
  /** Step 4: a timer tick (idle partitions, rate-limited provisional rows); runs without ticks when absent. */
  tick?(): Promise<void>;
  /** After every serial step (buffer upkeep). */
  afterStep?(): Promise<void>;
  /** Final windows so far, for until: { finalWindows }. */
  finalWindows?(): number;
  /** Step 5: end of input = end of time. */
  flush(): Promise<void>;
  /** Step 5: the run is stopping (before its readers stop). */
  stopping?(): void;
  /** Step 5: what must settle before the run reports done (the provenance's file hashes). */
  settled?(): Promise<void>;
  /** Releases what the executor holds (the DuckDB connection stays for reads after the run). */
  close(): void;
  /**
   * A remote engine (Flink) runs steps 2–4 itself: resolves when its input has ended, rejects when it
   * fails; calls `progress` after each batch of results. The run then has no readers of its own.
   */
  remote?(progress: () => void): Promise<void>;
}

/** Ticks four times per idle timeout, at most once per update interval (once a second in mode 'final'), between 50 ms and 1 s. */
export function tickMs(options: RunOptions, idleTimeoutMs: number): number {
  const updateMs = options.emit === 'updates' ? options.updateIntervalMs : 1000;
  return Math.min(1000, Math.max(50, Math.min(idleTimeoutMs / 4, updateMs)));
}

export class Run<H extends EndingHub = EndingHub> {
  phase: RunPhase = 'starting';
  until: Until;
  /** Whether the end of a bounded run closes every window. */
  flush: boolean;
  inputs: readonly RunInput[] = [];
  historyDone = false;
  /** When the run was first caught up with every live input after its history (the hand-off's end). */
  caughtUpAt: number | undefined;
  readonly startedAt = Date.now();
  private readonly steps = new Serial();
  private readonly readers: TopicReader[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly sinks: Promise<{ readonly done: Promise<unknown> }>[] = [];
  private waiters: { offsets: ReadonlyMap<number, number>; resolve: () => void }[] = [];
  private finishing: Promise<void> | undefined;
  private outageLog: Outages | undefined;
  private readonly ending = outcome();
  /** Resolves when the run has ended; rejects with its failure. */
  readonly done: Promise<void> = this.ending.promise;

  private constructor(
    readonly exec: Executor<H>,
    readonly options: RunOptions,
  ) {
    this.until = options.until;
    this.flush = options.flush ?? (this.until.kind !== 'unbounded' || !exec.hasLive);
  }

  get hub(): H {
    return this.exec.hub;
  }

  /** The run's broker outages (made when a Kafka client of the run first needs them). */
  get outages(): Outages {
    this.outageLog ??= new Outages(brokerTimeoutMs(this.options.brokerTimeoutMs), this.options.warn, (e) => this.fail(e));
    return this.outageLog;
  }

  /** How the broker looks to the run; undefined for a run without Kafka. */
  brokerStats(): BrokerStats | undefined {
    return this.outageLog?.stats();
  }

  /** Next offset per partition of the run's (first) live input. */
  get processed(): ReadonlyMap<number, number> {
    return this.inputs[0]?.processed ?? new Map();
  }

  /** Step 1, awaited; then steps 2–5 in the background. */
  static async start<H extends EndingHub>(exec: Executor<H>, options: RunOptions): Promise<Run<H>> {
    const run = new Run(exec, options);
    // the run's signal (in a notebook: an interrupt of the cell that started it) stops it, DuckDB's running statement too
    options.signal?.addEventListener('abort', () => run.interrupt(), { once: true });
    try {
      const prepared = await exec.prepare({ clock: { now: () => run.outageLog?.now() ?? Date.now() } });
      run.inputs = prepared.inputs;
      if (prepared.until) run.until = prepared.until;
    } catch (e) {
      exec.close();
      run.release();
      throw run.stoppedEarly ? new QueryError('run-interrupted', messages.runInterrupted(), { cause: e }) : asRunError(e, options.resources);
    }
    run.prepared = true;
    for (const input of run.inputs) {
      // a failure while processing ends the run with that error instead of the client retrying the batch
      run.readers.push(inputReader(input, run.outages, options.warn, (p, batch, end) => run.step(() => run.onRecords(input, p, batch, end)).catch((e: unknown) => run.fail(e)), (e) => run.fail(e)));
    }
    if (run.stoppedEarly || options.signal?.aborted) run.interrupt();
    void run.drive();
    return run;
  }

  private async drive(): Promise<void> {
    try {
      if (this.finishing) return;
      await this.exec.ready?.();
      // interrupted while getting ready: no history statement starts (there is none to cut short)
      if (this.finishing) return;
      this.phase = 'history';
      if (this.exec.remote) return await this.driveRemote(this.exec.remote.bind(this.exec));
      // 2. history: at once unless a backlog must be read first
      if (this.inputs.every((i) => i.backlogDone)) {
        this.historyStep = this.step(() => this.endHistory(this.readers.length === 0 && this.flush));
        await this.historyStep;
      }
      if (this.readers.length === 0 || this.stopReached()) return await this.finish();
      // 3. hand-off: every reader from its start offsets (group joins take the broker a few seconds: all at once)
      if (this.finishing) return;
      await Promise.all(this.readers.map((r) => r.start()));
      this.checkCaughtUp();
      if (this.exec.tick) {
        const tick = this.exec.tick.bind(this.exec);
        this.timers.push(setInterval(() => void this.step(async () => {
          if (!this.historyDone || this.finishing) return;
          await tick();
          this.checkFinalWindows();
        }).catch((e: unknown) => this.fail(e)), tickMs(this.options, this.exec.idleTimeoutMs)));
      }
      if (this.until.kind === 'duration') this.timers.push(setTimeout(() => void this.finish(), this.until.ms));
    } catch (e) {
      this.fail(e);
    }
  }

  /** Steps 2–4 on a remote engine: the run ends with its job, at its duration, or at its final windows. */
  private async driveRemote(remote: NonNullable<Executor['remote']>): Promise<void> {
    this.historyDone = true;
    this.phase = 'live';
    if (this.until.kind === 'duration') this.timers.push(setTimeout(() => void this.finish(), this.until.ms));
    await remote(() => this.checkFinalWindows());
    await this.finish();
  }

  /** Runs a step in the serial queue, then the executor's upkeep. */
  private step<T>(fn: () => Promise<T>): Promise<T> {
    return this.steps.run(async () => {
      const r = await fn();
      await this.exec.afterStep?.();
      return r;
    });
  }

  /** The history step; then the live records that waited for it. */
  private async endHistory(endOfInput: boolean): Promise<void> {
    await this.exec.history(endOfInput);
    this.historyDone = true;
    this.phase = 'live';
    for (const input of this.inputs) {
      const pending = input.pending;
      input.pending = [];
      for (const p of new Set(pending.map((b) => b.partition))) await this.exec.live(input, p, concatBatches(pending.filter((b) => b.partition === p)));
    }
  }

  /** Steps 2–4 for one batch of one input's partition; `end` is the partition's end as its fetch saw it. */
  private async onRecords(input: RunInput, partition: number, all: RecordBatch, end: number): Promise<void> {
    if (this.finishing) return;
    const { backlog, live } = input.take(partition, all, this.until);
    input.noteEnd(partition, end);
    if (backlog.length > 0) await this.exec.backlog(input, partition, backlog);
    if (live.length > 0) {
      if (this.historyDone) await this.exec.live(input, partition, live);
      else input.pending.push(live);
    }
    if (!this.historyDone && input.checkBacklog() && this.inputs.every((i) => i.backlogDone)) await this.endHistory(false);
    if (this.historyDone) this.checkFinalWindows();
    this.checkCaughtUp();
    if (this.stopReached()) void this.finish();
    this.wakeWaiters();
  }

  /** Notes the end of the hand-off: history done and every input read up to its end once. */
  checkCaughtUp(): boolean {
    if (this.caughtUpAt === undefined && this.historyDone && this.inputs.every((i) => i.caughtUp())) this.caughtUpAt = Date.now();
    return this.caughtUpAt !== undefined;
  }

  private checkFinalWindows(): void {
    if (this.until.kind === 'finalWindows' && (this.exec.finalWindows?.() ?? 0) >= this.until.count) void this.finish();
  }

  /** A run bounded by offsets is done once its history is and every input has read up to its stop. */
  private stopReached(): boolean {
    return this.historyDone && this.inputs.length > 0 && this.inputs.every((i) => i.reachedStop(this.until));
  }

  /** Resolves once the run has processed every record before these offsets of its input (or has ended). */
  processedUpTo(offsets: ReadonlyMap<number, number>): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ offsets, resolve });
      this.wakeWaiters();
    });
  }

  private wakeWaiters(): void {
    this.waiters = this.waiters.filter((w) => {
      const done = this.phase === 'done' || (this.historyDone && reached(w.offsets, this.processed));
      if (done) w.resolve();
      return !done;
    });
  }

  /** Step 5: stop reading, flush if asked, end the hub. */
  finish(): Promise<void> {
    this.finishing ??= (async () => {
      this.stopTimers();
      this.exec.stopping?.();
      try {
        for (const r of this.readers) await r.stop();
        await this.step(async () => {
          if (this.flush && this.historyDone) await this.exec.flush();
        });
        await this.exec.settled?.();
        this.end();
      } catch (cause) {
        this.end(asRunError(cause, this.options.resources));
      } finally {
        this.exec.close();
      }
    })();
    return this.finishing;
  }

  /** Ends the run with a failure (a bad batch, a sink that cannot write). */
  fail(cause: unknown): void {
    if (this.finishing) return;
    const e = asRunError(cause, this.options.resources);
    this.finishing = (async () => {
      this.stopTimers();
      for (const r of this.readers) await r.stop().catch(() => undefined);
      this.exec.close();
      this.end(e);
    })();
  }

  /** Set by the signal while step 1 runs: the run stops once prepared (or start() rejects). */
  private stoppedEarly = false;
  /** The history step, while it is queued or runs (an interrupt cuts it short). */
  private historyStep: Promise<void> | undefined;
  private prepared = false;

  /**
   * The run's signal aborted (the cell that started it was interrupted): the run stops as by stop(),
   * without a flush, and a DuckDB statement in progress (a long history query) is cut short.
   */
  interrupt(): void {
    if (this.prepared) {
      if (this.finishing) return;
      this.flush = false;
      void this.finish();
      // a history statement queued but not yet begun is not cut by this first interrupt: again until the step ends
      if (this.historyStep && !this.historyDone) {
        const again = setInterval(() => this.cutShort(), 100);
        const clear = (): void => clearInterval(again);
        this.historyStep.then(clear, clear);
      }
    } else this.stoppedEarly = true;
    this.cutShort();
  }

  /** Interrupts DuckDB's running statement, if any. */
  private cutShort(): void {
    try {
      this.exec.setup?.conn.interrupt();
    } catch {
      // closed already
    }
  }

  /** Keeps an attached sink's handle: close() lets the sink write its last rows first. */
  track<S extends { readonly done: Promise<unknown> }>(sink: Promise<S>): Promise<S> {
    this.sinks.push(sink);
    return sink;
  }

  /** Stops, waits for the attached sinks (a table sink may be writing into this run's instance), closes DuckDB. */
  async close(): Promise<void> {
    await this.finish().catch(() => undefined);
    await Promise.allSettled(this.sinks.map(async (s) => (await s).done));
    this.release();
  }

  /** Whether close() has released DuckDB: the run's tables are gone. */
  released = false;

  /** Closes DuckDB (after the run: the dead-letter and late tables go with it). */
  private release(): void {
    this.released = true;
    this.exec.setup?.conn.closeSync();
    this.exec.setup?.ownsInstance?.closeSync();
  }

  private stopTimers(): void {
    for (const t of this.timers) clearTimeout(t);
  }

  private end(failure?: unknown): void {
    this.phase = 'done';
    this.wakeWaiters();
    this.hub.end(failure);
    if (failure === undefined) this.ending.resolve();
    else this.ending.reject(failure);
  }
}
