/**
 * The hand-off: where the live reader starts, per partition. After the topic's backlog it starts at
 * the end offsets captured at start (the backlog is read up to them first); after an archive with
 * _partition and _offset columns it resumes after the highest archived offset of each partition.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SourceError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { TopicOffsets } from '../../kafka/topic.js';
import type { Column } from '../exec/recordSql.js';
import type { SourceSpec } from '../source/types.js';

export type HandoffKind = 'backlog' | 'archive' | 'end' | 'earliest' | 'offsets';

export interface Handoff {
  readonly kind: HandoffKind;
  /** partition → first offset the live reader reads. */
  readonly start: ReadonlyMap<number, number>;
  /** For 'backlog': partition → end of the backlog (exclusive); records below are history. */
  readonly backlogEnd?: ReadonlyMap<number, number>;
}

export async function planHandoff(
  conn: DuckDBConnection,
  source: SourceSpec,
  topic: TopicOffsets,
  historyRelation: string | undefined,
  historyColumns: readonly Column[],
): Promise<Handoff> {
  const startAt = source.live?.startAt;
  if (source.history?.kind === 'kafkaBacklog') return { kind: 'backlog', start: topic.low, backlogEnd: topic.high };
  if (startAt === 'end') return { kind: 'end', start: topic.high };
  if (startAt === 'earliest') return { kind: 'earliest', start: topic.low };
  if (startAt !== undefined) {
    const start = new Map(topic.low);
    for (const [p, o] of Object.entries(startAt.offsets)) start.set(Number(p), Number(o));
    return { kind: 'offsets', start };
  }
  if (historyRelation === undefined) return { kind: 'earliest', start: topic.low };
  const hasOffsets = historyColumns.some((c) => c.name === '_partition') && historyColumns.some((c) => c.name === '_offset');
  if (!hasOffsets) {
    if (source.history) return { kind: 'end', start: topic.high };
    throw new SourceError('archive-offsets', messages.archiveOffsets(source.name, historyColumns.map((c) => c.name).join(', ')));
  }
  const r = await conn.runAndReadAll(`SELECT _partition, max(_offset) FROM ${historyRelation} WHERE _partition IS NOT NULL GROUP BY 1`);
  const start = new Map(topic.low);
  for (const [p, max] of r.getRows()) if (p !== null && max !== null) start.set(Number(p), Math.max(Number(max) + 1, topic.low.get(Number(p)) ?? 0));
  return { kind: 'archive', start };
}
