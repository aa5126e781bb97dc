import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration, type DurationInput } from '../duration.js';
import type { IntervalJoinNode, LeafNode } from '../plan/types.js';
import { parseTime, type TimeInput } from './time.js';
import { LIVE_FORMATS, type HistorySpec, type LiveFormat, type LiveSpec, type SourceSpec, type StartAt, type TimeHandoffSpec } from './types.js';

type Paths = string | readonly string[];

/** History as the user writes it. */
export type HistoryInput =
  | { readonly parquet: Paths }
  | { readonly csv: Paths }
  | { readonly json: Paths }
  | { readonly table: string }
  | { readonly query: string }
  | { readonly kafkaBacklog: true };

/** Where live starts: see StartAt. `{ timestamp }` seeks by record time (with history: the hand-off boundary). */
export type StartAtInput = 'end' | 'earliest' | { readonly offsets: Readonly<Record<number, number>> } | { readonly timestamp: TimeInput };

/** The time hand-off after history without _partition/_offset columns. */
export interface HandoffInput {
  /** History holds the events at or before this time; default: its maximum event time. */
  readonly boundary?: TimeInput;
  /** Report a gap when the first live event is further than this after the boundary; default: the window size. */
  readonly maxGap?: DurationInput;
}

export interface LiveInput {
  readonly topic: string;
  readonly format?: LiveFormat;
  readonly csvDelimiter?: string;
  readonly startAt?: StartAtInput;
  readonly handoff?: HandoffInput;
}

export interface SourceOptions<Schema extends Record<string, string> = Record<string, string>> {
  readonly name: string;
  /** The event-time column. */
  readonly time: string;
  readonly maxOutOfOrderness?: DurationInput;
  readonly idleTimeout?: DurationInput;
  readonly history?: HistoryInput;
  readonly live?: LiveInput;
  readonly schema?: Schema;
}

/** A source; `Columns` are its column names where the schema is known (for completions). */
export interface Source<Columns extends string = string> {
  readonly spec: SourceSpec;
  /** A joined stream's interval join (intervalJoin(a, b, ...)); its `source` is `spec`. */
  readonly join?: IntervalJoinNode;
  /** Phantom field carrying the column names; never set. */
  readonly __columns?: Columns;
}

/** The plan node a query over the source starts from: its interval join, or a scan. */
export function sourceNode(source: Source): LeafNode {
  return source.join ?? { kind: 'scan', source: source.spec };
}

/** The Kafka metadata columns every source has (see KAFKA_COLUMNS). */
export type KafkaColumn = '_key' | '_partition' | '_offset' | '_timestamp' | '_headers';

function paths(p: Paths): readonly string[] {
  return typeof p === 'string' ? [p] : [...p];
}

function toHistory(name: string, h: HistoryInput): HistorySpec {
  const bad = (why: string): never => {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(name, 'history', why));
  };
  if (typeof h !== 'object' || h === null) return bad('expected an object such as { parquet: "data/*.parquet" }');
  const keys = Object.keys(h);
  if (keys.length !== 1) return bad(`expected exactly one of parquet, csv, json, table, query, kafkaBacklog; got ${keys.join(', ') || 'none'}`);
  if ('parquet' in h) return { kind: 'parquet', paths: paths(h.parquet) };
  if ('csv' in h) return { kind: 'csv', paths: paths(h.csv) };
  if ('json' in h) return { kind: 'json', paths: paths(h.json) };
  if ('table' in h) return { kind: 'table', table: h.table };
  if ('query' in h) return { kind: 'query', sql: h.query };
  if ('kafkaBacklog' in h) return { kind: 'kafkaBacklog' };
  return bad(`unknown kind ${keys[0]}`);
}

function toLive(name: string, l: LiveInput, history: HistorySpec | undefined): LiveSpec {
  if (typeof l !== 'object' || l === null || typeof l.topic !== 'string' || l.topic === '') {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(name, 'live', 'expected { topic: "name" }'));
  }
  const format = l.format ?? 'json';
  if (!(LIVE_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(name, 'live.format', `"${format}" is not one of ${LIVE_FORMATS.join(', ')}`));
  }
  if (history?.kind === 'kafkaBacklog' && l.startAt !== undefined) {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(name, 'live.startAt', 'with history { kafkaBacklog: true } live starts exactly after the backlog; remove startAt'));
  }
  const startAt = l.startAt === undefined ? undefined : toStartAt(name, l.startAt);
  const handoff = l.handoff === undefined ? undefined : toHandoff(name, l.handoff, history, startAt);
  return { topic: l.topic, format, csvDelimiter: l.csvDelimiter ?? ',', ...(startAt !== undefined ? { startAt } : {}), ...(handoff ? { handoff } : {}) };
}

function toStartAt(name: string, s: StartAtInput): StartAt {
  const bad = (why: string): never => {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(name, 'live.startAt', why));
  };
  if (s === 'end' || s === 'earliest') return s;
  if (typeof s !== 'object' || s === null) return bad(`${JSON.stringify(s)} is not one of 'end', 'earliest', { offsets: { 0: 1200 } }, { timestamp: '2024-01-01T00:00:00Z' }`);
  if ('timestamp' in s) return { timestamp: parseTime(s.timestamp, `live.startAt.timestamp of source ${name}`) };
  if ('offsets' in s && typeof s.offsets === 'object' && s.offsets !== null) {
    for (const [p, o] of Object.entries(s.offsets)) if (!/^\d+$/.test(p) || !Number.isInteger(o) || o < 0) bad(`offsets must map partition numbers to offsets, got ${p}: ${String(o)}`);
    return { offsets: { ...s.offsets } };
  }
  return bad(`expected 'end', 'earliest', { offsets } or { timestamp }, got ${JSON.stringify(s)}`);
}

function toHandoff(name: string, h: HandoffInput, history: HistorySpec | undefined, startAt: StartAt | undefined): TimeHandoffSpec {
  const bad = (why: string): never => {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(name, 'live.handoff', why));
  };
  if (typeof h !== 'object' || h === null) return bad('expected { boundary?, maxGap? }');
  const unknown = Object.keys(h).filter((k) => k !== 'boundary' && k !== 'maxGap');
  if (unknown.length > 0) bad(`unknown option ${unknown.join(', ')} (it takes boundary and maxGap)`);
  if (!history || history.kind === 'kafkaBacklog') bad('the time hand-off follows file, table or query history; this source has ' + (history ? 'the topic backlog, which hands off at exact offsets' : 'no history'));
  if (startAt !== undefined && typeof startAt === 'object' && 'timestamp' in startAt && h.boundary !== undefined) bad('give the boundary once: either live.startAt { timestamp } or live.handoff.boundary');
  if (startAt !== undefined && !(typeof startAt === 'object' && 'timestamp' in startAt)) bad(`live.startAt ${JSON.stringify(startAt)} starts at offsets, not by time; remove live.handoff or startAt`);
  return {
    ...(h.boundary !== undefined ? { boundaryMs: parseTime(h.boundary, `live.handoff.boundary of source ${name}`) } : {}),
    ...(h.maxGap !== undefined ? { maxGapMs: parseDuration(h.maxGap, `live.handoff.maxGap of source ${name}`) } : {}),
  };
}

/**
 * Declares a source. Give `schema` as `{ column: 'DUCKDB TYPE' }` with `as const` for typed column
 * names in the builder; without it the schema is inferred from history.
 */
export function source<const Schema extends Record<string, string> = Record<string, string>>(
  options: SourceOptions<Schema>,
): Source<(Record<string, string> extends Schema ? string : keyof Schema & string) | KafkaColumn> {
  const name = options.name;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(String(name), 'name', 'use letters, digits and _ (it is the name SQL refers to)'));
  }
  if (typeof options.time !== 'string' || options.time === '') {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(name, 'time', 'name the event-time column'));
  }
  const history = options.history === undefined ? undefined : toHistory(name, options.history);
  const live = options.live === undefined ? undefined : toLive(name, options.live, history);
  if (!history && !live) throw new ConfigError('invalid-source', messages.sourceWithoutData(name));
  if (history?.kind === 'kafkaBacklog' && !live) {
    throw new ConfigError('invalid-source', messages.invalidSourceOption(name, 'history', 'kafkaBacklog needs live: { topic } to know which topic'));
  }
  if (!options.schema && (!history || history.kind === 'kafkaBacklog')) throw new ConfigError('invalid-source', messages.sourceNeedsSchema(name));
  const spec: SourceSpec = {
    name,
    time: options.time,
    maxOutOfOrdernessMs: parseDuration(options.maxOutOfOrderness ?? 0, `maxOutOfOrderness of source ${name}`),
    idleTimeoutMs: parseDuration(options.idleTimeout ?? '30 seconds', `idleTimeout of source ${name}`),
    ...(history ? { history } : {}),
    ...(live ? { live } : {}),
    ...(options.schema ? { schema: { ...options.schema } } : {}),
  };
  return { spec };
}
