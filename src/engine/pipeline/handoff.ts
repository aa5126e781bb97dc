/**
 * Where a pipeline's live reader starts. A stateless pipeline needs no watermark across the boundary,
 * only exact offsets: after the topic's backlog (records below the end offsets at start are its
 * history), after the highest offset of an archive with _partition and _offset columns, at the end
 * offsets after other history, or where live.startAt says.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TopicOffsets } from '../../kafka/topic.js';
import type { Column } from '../exec/recordSql.js';
import type { SourceSpec } from '../source/types.js';

export interface PipelineHandoff {
  readonly kind: 'backlog' | 'archive' | 'end' | 'earliest' | 'offsets';
  readonly start: ReadonlyMap<number, number>;
  /** For 'backlog': records below these offsets are history. */
  readonly backlogEnd?: ReadonlyMap<number, number>;
}

export async function pipelineHandoff(conn: DuckDBConnection, source: SourceSpec, topic: TopicOffsets, historyRelation: string | undefined, historyColumns: readonly Column[]): Promise<PipelineHandoff> {
  const startAt: unknown = source.live?.startAt;
  if (source.history?.kind === 'kafkaBacklog') return { kind: 'backlog', start: topic.low, backlogEnd: topic.high };
  if (startAt === 'end') return { kind: 'end', start: topic.high };
  if (startAt === 'earliest') return { kind: 'earliest', start: topic.low };
  if (typeof startAt === 'object' && startAt !== null && 'offsets' in startAt) {
    const start = new Map(topic.low);
    for (const [p, o] of Object.entries((startAt as { offsets: Record<string, number> }).offsets)) start.set(Number(p), Number(o));
    return { kind: 'offsets', start };
  }
  if (historyRelation === undefined) return { kind: 'earliest', start: topic.low };
  const names = new Set(historyColumns.map((c) => c.name));
  if (!names.has('_partition') || !names.has('_offset')) return { kind: 'end', start: topic.high };
  const r = await conn.runAndReadAll(`SELECT _partition, max(_offset) FROM ${historyRelation} WHERE _partition IS NOT NULL GROUP BY 1`);
  const start = new Map(topic.low);
  for (const [p, max] of r.getRows()) if (p !== null && max !== null) start.set(Number(p), Math.max(Number(max) + 1, topic.low.get(Number(p)) ?? 0));
  return { kind: 'archive', start };
}
