/**
 * Where live starts: the hand-off planned from the topic and the history, or the one a replayed
 * provenance recorded (then with stop offsets: the recorded ends). A time hand-off gets its overlap
 * tracker, which the engine calls with every typed batch.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { offsetsForTime } from '../../kafka/seek.js';
import type { TopicOffsets } from '../../kafka/topic.js';
import type { WindowSpec } from '../plan/types.js';
import { windowSpanMs } from '../plan/window.js';
import type { Provenance } from '../provenance/types.js';
import { replayHandoff } from '../provenance/verify.js';
import type { SourceSpec } from '../source/types.js';
import { planHandoff, type Handoff } from './handoff.js';
import { lostGaps } from './handoffReport.js';
import { Overlap } from './overlap.js';
import type { Setup } from './setup.js';

export interface LiveStart {
  readonly handoff: Handoff;
  readonly overlap?: Overlap;
  /** For a replay: partition → stop offset (exclusive). */
  readonly stop?: ReadonlyMap<number, number>;
}

export async function liveStart(o: {
  readonly conn: DuckDBConnection;
  readonly kafka: Kafka;
  /** The brokers its messages name. */
  readonly brokers: string;
  readonly source: SourceSpec;
  readonly window: WindowSpec;
  readonly topic: TopicOffsets;
  readonly setup: Pick<Setup, 'historyRelation' | 'historyColumns' | 'columns'>;
  readonly replay: Provenance | undefined;
  readonly warn: (message: string) => void;
}): Promise<LiveStart> {
  const live = o.source.live!;
  const replayed = o.replay ? replayHandoff(o.replay, o.source, o.topic) : undefined;
  const handoff =
    replayed?.handoff ??
    (await planHandoff(o.conn, o.source, {
      topic: o.topic,
      historyRelation: o.setup.historyRelation,
      historyColumns: o.setup.historyColumns,
      seek: (ms) => offsetsForTime(o.kafka, live.topic, ms, o.brokers),
      // a gap longer than a window means whole windows are missing data: the default gap to report
      defaultMaxGapMs: windowSpanMs(o.window),
    }));
  for (const gap of lostGaps(handoff, o.source.name, live.topic)) o.warn(gap.message);
  let overlap: Overlap | undefined;
  if (handoff.kind === 'time' && handoff.boundaryUs !== undefined) {
    overlap = new Overlap({ conn: o.conn, columns: o.setup.columns, time: o.source.time, source: o.source.name, topic: live.topic, low: o.topic.low, warn: o.warn }, { ...handoff, boundaryUs: handoff.boundaryUs });
    await overlap.create();
  }
  return { handoff, ...(overlap ? { overlap } : {}), ...(replayed ? { stop: replayed.stop } : {}) };
}
