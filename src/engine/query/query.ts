/** A running (or finished) windowed query: its changelog, current table, stats and explanation. */
import { tableFromJSON, type RecordBatch } from 'apache-arrow';
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { flattenRow, type ChangelogBatch, type ChangelogRow, type Scalar } from '../changelog/types.js';
import { readRecords } from '../exec/duck.js';
import { T } from '../exec/tables.js';
import type { EngineStats } from '../exec/windowEngine.js';
import { explainRun } from './explain.js';
import { duckMemory, type DuckMemory } from '../run/resources.js';
import { overlapEvents, runProvenance } from './provenance.js';
import type { HandoffReport, Provenance } from '../provenance/types.js';
import type { ChangelogHub } from '../changelog/hub.js';
import type { Run, RunPhase } from '../run/driver.js';
import type { BrokerStats } from '../run/outage.js';
import { QueryExecutor, type WindowExecutor } from './executor.js';
import { attachSink, type SinkHandle } from '../sink/attach.js';
import { changelogInput } from '../sink/changelogInput.js';
import type { SinkSpec } from '../sink/types.js';
import { queryProgress, watermarkMs, type QueryProgress } from './progress.js';
import { MIME_BUNDLE, presentQuery } from './present.js';

export interface QueryStats extends EngineStats {
  readonly phase: RunPhase;
  /** Query watermark, epoch ms (null before any event). */
  readonly watermark: number | null;
  readonly openWindows: number;
  /** Events held for windows that are not final yet (as of the last window close, or within a second). */
  readonly bufferedEvents: number;
  /** Next offset per partition after the records the query has taken (live sources). */
  readonly positions: Readonly<Record<number, number>>;
  /** Live events at or before a time hand-off's boundary: history holds them, so they are kept apart (overlapEvents()). */
  readonly overlap: number;
  /** Where live started: the kind, the start offsets, for a time hand-off the boundary and any gap. */
  readonly handoff?: HandoffReport;
  /** The broker as the run sees it: connected, or unreachable since a time (and how long the run waits for it); absent without Kafka. */
  readonly broker?: BrokerStats;
}

export class Query {
  constructor(
    private readonly run: Run<ChangelogHub>,
    private readonly exec: WindowExecutor,
  ) {}

  /** Resolves when a bounded run ends (or the query is stopped); rejects if the query failed. */
  get done(): Promise<void> {
    return this.run.done;
  }

  /** The changelog in batches (one per micro-batch): the current table first, then what follows. */
  changelog(): AsyncIterable<ChangelogBatch> {
    return this.run.hub.batches();
  }

  /** The changelog as rows. */
  async *changes(): AsyncGenerator<ChangelogRow> {
    for await (const batch of this.run.hub.batches()) for (const row of batch.rows) yield row;
  }

  /** The changelog as Arrow record batches of flat rows (kind, key, window_start, window_end, keys, values). */
  async *batches(): AsyncGenerator<RecordBatch> {
    for await (const batch of this.run.hub.batches()) for (const b of tableFromJSON(batch.rows.map(flattenRow)).batches) yield b;
  }

  /** The current result table: the latest row per window and group. */
  snapshot(): ChangelogRow[] {
    return this.run.hub.snapshot();
  }

  /** Waits for a bounded run to end and returns its final (and revised) rows, by window start then key. */
  async collect(): Promise<ChangelogRow[]> {
    await this.run.done;
    return this.snapshot().filter((r) => r.kind === 'final' || r.kind === 'revised');
  }

  stats(): QueryStats {
    const wm = this.exec.watermarkUs;
    const e = this.exec.engine;
    const handoff = this.exec.handoffReport?.();
    const broker = this.run.brokerStats();
    return {
      ...(e ? e.stats : (this.exec.engineStats?.() ?? { events: 0, deadLetters: 0, late: 0, revised: 0, retracted: 0, batches: 0, finalWindows: 0 })),
      phase: this.run.phase,
      watermark: watermarkMs(wm),
      openWindows: e?.openWindows() ?? 0,
      bufferedEvents: this.exec.buffer?.size ?? 0,
      positions: Object.fromEntries(this.run.processed),
      overlap: handoff?.overlap ?? 0,
      ...(handoff ? { handoff } : {}),
      ...(broker ? { broker } : {}),
    };
  }

  /**
   * Where the query stands, cheap enough to read many times a second: the phase (history, hand-off,
   * live), the history's rows, bytes and fraction read, the lag behind the topic's end, the counts.
   */
  progress(): QueryProgress {
    return queryProgress(this.run, this.exec);
  }

  /** As a cell's value: its live status line (see presentQueriesWith). */
  [MIME_BUNDLE](): Record<string, unknown> {
    return presentQuery(this);
  }

  /**
   * Writes the changelog to a sink (kafkaSink, tableSink, parquetSink): in mode 'final' the final rows
   * upserted by key, in mode 'changelog' every row. Resolves once the target is checked; the handle's
   * `done` resolves when the query has ended and every row is written.
   */
  sink(spec: SinkSpec): Promise<SinkHandle> {
    const handle = attachSink(changelogInput(this.run, this.exec), spec, this.run.options.kafka);
    return this.run.track(handle);
  }

  /** DuckDB's memory for this query's instance: its limit, bytes in memory, bytes spilled to the temp folder. */
  async memory(): Promise<DuckMemory> {
    if (this.run.released) throw new QueryError('query-closed', messages.queryClosed('its memory'));
    const conn = this.exec.setup?.conn;
    return conn ? duckMemory(conn) : { limit: 'unknown', memoryBytes: 0, tempBytes: 0 };
  }

  /** The plan, the generated SQL of both phases and the hand-off offsets, as text. */
  explain(): string {
    return explainRun(this.run, this.exec);
  }

  /**
   * What this run read, as plain JSON: history fingerprints, Kafka topic, brokers and offsets
   * [from, to) per partition, the hand-off, the query and the library version. Pass it to
   * run(plan, { replay }) to re-run over exactly the same data. Complete once `done` has resolved
   * (history files are hashed while the run goes on). Undefined for joins.
   */
  provenance(): Provenance | undefined {
    return runProvenance(this.run, this.exec);
  }

  /** Live events at or before a time hand-off's boundary (history already holds them). */
  async overlapEvents(): Promise<Record<string, Scalar>[]> {
    if (this.run.released) throw new QueryError('query-closed', messages.queryClosed('its overlap table'));
    return overlapEvents(this.exec);
  }

  /** Records that could not be read: partition, offset, timestamp, key, value, reason. */
  async deadLetters(): Promise<Record<string, Scalar>[]> {
    return this.readTable(`SELECT * FROM ${T.dead} ORDER BY partition, "offset"`, 'its dead-letter table');
  }

  /**
   * Events that arrived beyond the allowed lateness: one row per event and window it was too late
   * for (window_start, window_end; for sessions the event's own [t, t + gap)).
   */
  async lateEvents(): Promise<Record<string, Scalar>[]> {
    return this.readTable(`SELECT * FROM ${T.late} ORDER BY window_start, window_end`, 'its late-events table');
  }

  /** Late events counted per window: window_start, window_end, late. */
  async lateCounts(): Promise<Record<string, Scalar>[]> {
    return this.readTable(`SELECT window_start, window_end, count(*) AS late FROM ${T.late} GROUP BY ALL ORDER BY ALL`, 'its late-events table');
  }

  private async readTable(sql: string, what: string): Promise<Record<string, Scalar>[]> {
    if (this.run.released) throw new QueryError('query-closed', messages.queryClosed(what));
    const conn = this.exec.setup?.conn;
    return conn ? readRecords(conn, sql) : [];
  }

  /**
   * Resolves once the query has processed every record before these offsets (partition → offset),
   * or has ended: a way to wait for data just produced to be in the results.
   */
  async processedUpTo(offsets: Readonly<Record<number, number>>): Promise<void> {
    if (!(this.exec instanceof QueryExecutor)) throw new QueryError('no-offsets', this.exec.noProcessedUpTo ?? messages.processedUpToJoin());
    await this.run.processedUpTo(new Map(Object.entries(offsets).map(([p, o]) => [Number(p), Number(o)])));
  }

  /** Stops reading; with flush, closes every window first. Resolves when the changelog has ended. */
  async stop(): Promise<void> {
    await this.run.finish();
  }

  /** Stops and releases DuckDB (the dead-letter table goes with it). */
  async close(): Promise<void> {
    await this.run.close();
  }
}
