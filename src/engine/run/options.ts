/**
 * Run options: what a user passes to run()/sql()/runPipeline() (QueryRunOptions, PipelineOptions),
 * parsed once here into one validated RunOptions. Durations are numbers in milliseconds with the
 * unit in the name; nothing below parses or converts them again.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration, type DurationInput } from '../duration.js';
import type { EmitMode } from '../exec/windowEngine.js';
import type { Provenance } from '../provenance/types.js';
import { assertProvenance } from '../provenance/verify.js';
import { effectiveUntil, type Until, type UntilInput } from './bounded.js';
import type { FlinkRunOptions } from '../flink/options.js';
import { runDefaults } from './defaults.js';
import { defaultSpillDirectory, type ResourceOptions } from './resources.js';

/** Where a query runs: 'local' (DuckDB in this process) or 'flink' (a Flink cluster through its SQL Gateway). */
export type EngineName = 'local' | 'flink';

export interface QueryRunOptions extends ResourceOptions {
  /** 'final' (default): one row per window when it closes. 'updates': provisional rows too. */
  readonly emit?: EmitMode;
  /** In 'updates' mode, provisional rows at most this often (default 250 ms). */
  readonly updateInterval?: DurationInput;
  /**
   * How long after a window's end late events are still accepted (default 0). In mode 'updates' they
   * revise the final row ('revised' rows); in mode 'final' a window is emitted once the watermark
   * passes end + lateness. Later events are counted per window and kept in lateEvents().
   */
  readonly allowedLateness?: DurationInput;
  /** Stop by itself: 'caughtUp', { duration }, { finalWindows }, { offsets }. Default: run until stop(). */
  readonly until?: UntilInput;
  /** At the end of a bounded run, close every window (end of input = end of time). Default true for bounded runs. */
  readonly flush?: boolean;
  /**
   * How many closed (final or revised) rows the current table keeps for snapshot(), collect() and a
   * new subscriber's first batch: the most recently closed. Open windows are always kept, and every
   * row still reaches every subscriber. Default: all for bounded runs, 10,000 for unbounded runs.
   */
  readonly retainClosedRows?: number;
  /** A DuckDB instance to run in (to read its tables); default: a fresh in-memory one. */
  readonly duckdb?: DuckDBInstance;
  /** A kafkajs client; default: the configured cluster or the local broker. */
  readonly kafka?: Kafka;
  /** Re-run exactly what a recorded run read (its query.provenance()): same history, offsets and flush. */
  readonly replay?: Provenance;
  /** Where warnings (a hand-off's gap, a broker outage) go; default console.warn, which a notebook shows in the cell. */
  readonly onWarning?: (message: string) => void;
  /** 'local' (default): DuckDB in this process. 'flink': the same query as a Flink job (docs/flink.md). */
  readonly engine?: EngineName;
  /** Options of engine 'flink': gateway, parallelism, checkpointInterval, brokers, restarts. */
  readonly flink?: FlinkRunOptions;
  /**
   * How long the run waits for an unreachable Kafka broker (reading resumes where it stopped when the
   * broker is back) before it stops with a KafkaError (code broker-lost). Default: the setting
   * kafka.brokerTimeoutMs (WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS), else 2 minutes.
   */
  readonly brokerTimeout?: DurationInput;
  /** Stops the run (as stop() does, without a flush, a DuckDB statement in progress cut short) when it aborts. Default: in a notebook, the interrupt of the cell that starts the run. */
  readonly signal?: AbortSignal;
}

export interface PipelineOptions {
  /** Stop by itself: 'caughtUp', { offsets }, { duration }. Default: run until stop() (or the end of history without live). */
  readonly until?: UntilInput;
  /** A DuckDB instance to run in (to read its tables); default: a fresh in-memory one. */
  readonly duckdb?: DuckDBInstance;
  /** A kafkajs client; default: the configured cluster or the local broker. */
  readonly kafka?: Kafka;
  /** How long to wait for an unreachable broker before the pipeline stops (see QueryRunOptions). */
  readonly brokerTimeout?: DurationInput;
  /** Stops the pipeline when it aborts (see QueryRunOptions). */
  readonly signal?: AbortSignal;
}

/** The options of one run, parsed and validated. */
export interface RunOptions {
  readonly emit: EmitMode;
  readonly updateIntervalMs: number;
  readonly allowedLatenessMs: number;
  /** The bound asked for (a replay: its recorded end offsets, filled in once the topic is known). */
  readonly until: Until;
  /** As asked (a replay: as recorded); undefined = the default, which depends on the run (driver.ts). */
  readonly flush: boolean | undefined;
  readonly retainClosedRows: number | undefined;
  readonly duckdb: DuckDBInstance | undefined;
  readonly kafka: Kafka | undefined;
  readonly replay: Provenance | undefined;
  readonly warn: (message: string) => void;
  readonly resources: ResourceOptions;
  readonly engine: EngineName;
  /** As given; engine 'flink' checks them (flink/options.ts). */
  readonly flink: FlinkRunOptions | undefined;
  /** As asked; undefined = the setting, else the default (kafka/connect.ts). */
  readonly brokerTimeoutMs: number | undefined;
  /** What stops the run: as given, else the host's (run defaults). */
  readonly signal: AbortSignal | undefined;
}

/** The user's spill folder, else a fresh one for the run's own instance (a given instance keeps its own setting). */
function spillFolder(asked: string | undefined, given: DuckDBInstance | undefined): { tempDirectory?: string } {
  const dir = asked ?? (given ? undefined : defaultSpillDirectory());
  return dir === undefined ? {} : { tempDirectory: dir };
}

function brokerTimeoutMs(input: DurationInput | undefined): number | undefined {
  if (input === undefined) return undefined;
  const ms = parseDuration(input, 'brokerTimeout');
  if (ms <= 0) throw new ConfigError('invalid-option', messages.invalidRunOption('brokerTimeout', String(input), "a duration above 0, e.g. '5 minutes'"));
  return ms;
}

export function parseQueryOptions(o: QueryRunOptions): RunOptions {
  if (o.emit !== undefined && o.emit !== 'final' && o.emit !== 'updates') throw new ConfigError('invalid-option', messages.invalidRunOption('emit', String(o.emit), "'final' or 'updates'"));
  if (o.replay !== undefined) assertProvenance(o.replay);
  if (o.engine !== undefined && o.engine !== 'local' && o.engine !== 'flink') throw new ConfigError('invalid-option', messages.invalidRunOption('engine', String(o.engine), "'local' or 'flink'"));
  return {
    emit: o.emit ?? 'final',
    updateIntervalMs: parseDuration(o.updateInterval ?? 250, 'updateInterval'),
    allowedLatenessMs: parseDuration(o.allowedLateness ?? 0, 'allowedLateness'),
    // a replay stops at the recorded end offsets (set once the topic is known)
    until: o.replay ? { kind: 'offsets', offsets: new Map() } : effectiveUntil(o.until),
    flush: o.replay?.run.flush ?? o.flush,
    retainClosedRows: o.retainClosedRows,
    duckdb: o.duckdb,
    kafka: o.kafka,
    replay: o.replay,
    warn: o.onWarning ?? ((m) => console.warn(m)),
    engine: o.engine ?? 'local',
    flink: o.flink,
    // the spill folder is chosen here, so that a full one can be named
    resources: { ...(o.memoryLimit !== undefined ? { memoryLimit: o.memoryLimit } : {}), ...spillFolder(o.tempDirectory, o.duckdb) },
    brokerTimeoutMs: brokerTimeoutMs(o.brokerTimeout),
    signal: o.signal ?? runDefaults().signal?.(),
  };
}

export function parsePipelineOptions(o: PipelineOptions): RunOptions {
  return {
    emit: 'final',
    updateIntervalMs: 0,
    allowedLatenessMs: 0,
    until: effectiveUntil(o.until),
    flush: false,
    retainClosedRows: undefined,
    duckdb: o.duckdb,
    kafka: o.kafka,
    replay: undefined,
    warn: (m) => console.warn(m),
    engine: 'local',
    flink: undefined,
    resources: spillFolder(undefined, o.duckdb),
    brokerTimeoutMs: brokerTimeoutMs(o.brokerTimeout),
    signal: o.signal ?? runDefaults().signal?.(),
  };
}
