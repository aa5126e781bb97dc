/**
 * Provenance: what a run read, as plain JSON. History files by path, size, modification time and a
 * SHA-256 of their bytes; table or query history by row count and a DuckDB hash aggregate; Kafka by
 * topic, broker addresses (never credentials) and the offsets [from, to) each partition was read
 * over; plus the hand-off, the query and the library version. `run(plan, { replay })` re-runs it.
 */
import type { PlanNode } from '../plan/types.js';
import type { HandoffKind } from '../run/handoff.js';
import type { GapReport } from '../run/overlap.js';

export const PROVENANCE_FORMAT = 'windowpane.provenance/1';

export interface FileFingerprint {
  readonly path: string;
  readonly size: number;
  /** Modification time, ISO-8601. */
  readonly modified: string;
  readonly sha256: string;
}

export type HistoryProvenance =
  | { readonly kind: 'files'; readonly format: 'parquet' | 'csv' | 'json'; readonly patterns: readonly string[]; readonly files: readonly FileFingerprint[] }
  | { readonly kind: 'table' | 'query'; readonly relation: string; readonly rows: number; readonly hash: string }
  /** The topic's own backlog: its offsets are in kafka.offsets, up to handoff.backlogEnd. */
  | { readonly kind: 'kafkaBacklog' };

/** The hand-off as reported by stats(), explain() and provenance. Offsets by partition. */
export interface HandoffReport {
  readonly kind: HandoffKind;
  readonly start: Readonly<Record<string, number>>;
  readonly backlogEnd?: Readonly<Record<string, number>>;
  /** 'time': the boundary (ISO-8601, and exactly in epoch µs): history holds the events at or before it. */
  readonly boundary?: string;
  readonly boundaryUs?: number;
  /** 'time' and 'timestamp': the record time the reader sought to (ISO-8601). */
  readonly seek?: string;
  readonly maxGapMs?: number;
  /** A replay: when the provenance it follows was recorded. */
  readonly replayOf?: string;
  /** 'time': live events at or before the boundary, kept apart (query.overlapEvents()). */
  readonly overlap: number;
  readonly gaps: readonly GapReport[];
}

export interface KafkaProvenance {
  readonly topic: string;
  readonly clusterId?: string;
  /** host:port of the brokers; never credentials. */
  readonly brokers: readonly string[];
  /** partition → [from, to): the offsets this run read (history backlog and live). */
  readonly offsets: Readonly<Record<string, readonly [number, number]>>;
  readonly handoff: HandoffReport;
}

/** The engine that ran the query, when it was not the local one. */
export interface EngineProvenance {
  readonly name: 'flink';
  /** The SQL Gateway the job was submitted to. */
  readonly gateway: string;
  readonly flinkVersion: string;
  readonly jobId: string;
  readonly parallelism: number;
}

export interface Provenance {
  readonly format: typeof PROVENANCE_FORMAT;
  readonly library: { readonly name: 'windowpane'; readonly version: string; readonly duckdb: string };
  readonly recordedAt: string;
  readonly source: string;
  readonly query: { readonly sql?: string; readonly plan: PlanNode };
  readonly history?: HistoryProvenance;
  readonly kafka?: KafkaProvenance;
  readonly run: { readonly emit: string; readonly flush: boolean; readonly until: string; readonly finished: boolean };
  /** Absent: the local engine. */
  readonly engine?: EngineProvenance;
}
