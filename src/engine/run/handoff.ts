/**
 * The hand-off: where the live reader starts, per partition. After the topic's backlog it starts at
 * the end offsets captured at start (the backlog is read up to them first); after an archive with
 * _partition and _offset columns it resumes after the highest archived offset of each partition.
 * After other history it hands off by time: history holds the events at or before a boundary (its
 * maximum event time unless given), the reader seeks by record timestamp to the boundary minus the
 * out-of-orderness bound, and live events at or before the boundary are overlap (see overlap.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SourceError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { TopicOffsets } from '../../kafka/topic.js';
import { ident } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';
import type { SourceSpec } from '../source/types.js';
import { US_PER_MS } from '../exec/windowSql.js';

export type HandoffKind = 'backlog' | 'archive' | 'time' | 'timestamp' | 'end' | 'earliest' | 'offsets';

export interface Handoff {
  readonly kind: HandoffKind;
  /** partition → first offset the live reader reads. */
  readonly start: ReadonlyMap<number, number>;
  /** For 'backlog': partition → end of the backlog (exclusive); records below are history. */
  readonly backlogEnd?: ReadonlyMap<number, number>;
  /** For 'time': history holds the events at or before this event time (epoch µs). */
  readonly boundaryUs?: number;
  /** For 'time' and 'timestamp': the record time (epoch ms) the reader sought to. */
  readonly seekMs?: number;
  /** For 'time': a first live event further than this after the boundary is a gap. */
  readonly maxGapMs?: number;
  /** A replay: when the provenance it follows was recorded. */
  readonly replayOf?: string;
  /** Offsets the hand-off wanted to read from but retention had deleted: records [from, to) are lost. */
  readonly lost?: readonly LostRange[];
}

export interface LostRange {
  readonly partition: number;
  readonly from: number;
  readonly to: number;
}

/** The wanted start offsets clamped to what the topic still holds, and what the clamping lost. */
function clampToRetained(wanted: ReadonlyMap<number, number>, topic: TopicOffsets): { start: Map<number, number>; lost: LostRange[] } {
  const start = new Map(topic.low);
  const lost: LostRange[] = [];
  for (const [p, o] of wanted) {
    const low = topic.low.get(p) ?? 0;
    if (o < low) lost.push({ partition: p, from: o, to: low });
    start.set(p, Math.max(o, low));
  }
  return { start, lost };
}

export interface HandoffContext {
  readonly topic: TopicOffsets;
  readonly historyRelation: string | undefined;
  readonly historyColumns: readonly Column[];
  /** partition → first offset at or after a record time; without it, history without offsets hands off at the end. */
  readonly seek?: (timestampMs: number) => Promise<ReadonlyMap<number, number>>;
  /** The gap reported when the source does not say (the window size). */
  readonly defaultMaxGapMs: number;
}

/** The maximum event time of the history (epoch µs), or undefined when it has no events. */
async function historyEnd(conn: DuckDBConnection, relation: string, time: string): Promise<number | undefined> {
  const r = await conn.runAndReadAll(`SELECT epoch_us(max(CAST(${ident(time)} AS TIMESTAMP))) FROM ${relation}`);
  const v = r.getRows()[0]?.[0];
  return v === null || v === undefined ? undefined : Number(v);
}

async function seekFrom(ctx: HandoffContext, ms: number): Promise<Map<number, number>> {
  const found = ctx.seek ? await ctx.seek(ms) : new Map<number, number>();
  return new Map([...ctx.topic.high].map(([p, high]) => [p, Math.max(ctx.topic.low.get(p) ?? 0, Math.min(found.get(p) ?? high, high))]));
}

export async function planHandoff(
  conn: DuckDBConnection,
  source: SourceSpec,
  context: HandoffContext | TopicOffsets,
  relation?: string,
  columns: readonly Column[] = [],
): Promise<Handoff> {
  // (conn, source, topic, relation, columns): the form without a timestamp seek
  const ctx: HandoffContext = 'topic' in context ? context : { topic: context, historyRelation: relation, historyColumns: columns, defaultMaxGapMs: 0 };
  const { topic, historyRelation, historyColumns } = ctx;
  const startAt = source.live?.startAt;
  const at = typeof startAt === 'object' && 'timestamp' in startAt ? startAt.timestamp : undefined;
  if (source.history?.kind === 'kafkaBacklog') return { kind: 'backlog', start: topic.low, backlogEnd: topic.high };
  if (startAt === 'end') return { kind: 'end', start: topic.high };
  if (startAt === 'earliest') return { kind: 'earliest', start: topic.low };
  if (typeof startAt === 'object' && 'offsets' in startAt) {
    const { start, lost } = clampToRetained(new Map(Object.entries(startAt.offsets).map(([p, o]) => [Number(p), Number(o)])), topic);
    return { kind: 'offsets', start, ...(lost.length > 0 ? { lost } : {}) };
  }
  if (historyRelation === undefined) return at === undefined ? { kind: 'earliest', start: topic.low } : { kind: 'timestamp', start: await seekFrom(ctx, at), seekMs: at };
  const hasOffsets = historyColumns.some((c) => c.name === '_partition') && historyColumns.some((c) => c.name === '_offset');
  if (hasOffsets && at === undefined && source.live?.handoff === undefined) return archiveHandoff(conn, topic, historyRelation);
  if (!source.history) throw new SourceError('archive-offsets', messages.archiveOffsets(source.name, historyColumns.map((c) => c.name).join(', ')));
  if (!ctx.seek && at === undefined && source.live?.handoff === undefined) return { kind: 'end', start: topic.high };
  // the time hand-off
  const given = at ?? source.live?.handoff?.boundaryMs;
  const boundaryUs = given !== undefined ? given * US_PER_MS : await historyEnd(conn, historyRelation, source.time);
  // history without events sets no boundary: everything in the topic is new
  if (boundaryUs === undefined) return { kind: 'earliest', start: topic.low };
  const seekMs = Math.floor(boundaryUs / US_PER_MS) - source.maxOutOfOrdernessMs;
  return { kind: 'time', start: await seekFrom(ctx, seekMs), boundaryUs, seekMs, maxGapMs: source.live?.handoff?.maxGapMs ?? ctx.defaultMaxGapMs };
}

async function archiveHandoff(conn: DuckDBConnection, topic: TopicOffsets, historyRelation: string): Promise<Handoff> {
  const r = await conn.runAndReadAll(`SELECT _partition, max(_offset) FROM ${historyRelation} WHERE _partition IS NOT NULL GROUP BY 1`);
  const resume = new Map<number, number>();
  for (const [p, max] of r.getRows()) if (p !== null && max !== null) resume.set(Number(p), Number(max) + 1);
  const { start, lost } = clampToRetained(resume, topic);
  return { kind: 'archive', start, ...(lost.length > 0 ? { lost } : {}) };
}
