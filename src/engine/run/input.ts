/**
 * One live input of a run: a source's topic as it was at start, the hand-off (where its reader
 * starts, where its backlog ends) and how far the run has read it. A window query and a pipeline
 * have one; an interval join one per input with a live part.
 */
import type { Kafka } from 'kafkajs';
import { kafkaClient, resolveBrokers } from '../../kafka/connect.js';
import { indexOfOffset, sliceBatch, type RecordBatch } from '../../kafka/batch.js';
import { fetchTopicOffsets, type TopicOffsets } from '../../kafka/topic.js';
import type { SourceSpec } from '../source/types.js';
import { reached, stopOffsets, type Until } from './bounded.js';
import type { Handoff } from './handoff.js';

export class RunInput {
  /** Next offset per partition after the records the run has taken (never past a stop offset). */
  readonly processed: Map<number, number>;
  /** Next offset per partition after the records delivered so far, whether taken or not. */
  readonly read: Map<number, number>;
  /** Whether the backlog below the hand-off is loaded (at once when there is none). */
  backlogDone: boolean;
  /** Live records that came before the run's history was done. */
  pending: RecordBatch[] = [];
  /** The topic's end per partition as last seen: at start, then as each fetch reports it. */
  readonly ends: Map<number, number>;
  /** Partitions read up to the end a fetch reported, at least once. */
  private readonly reachedEnd = new Set<number>();
  /** Bytes of the backlog records taken, estimated from a few records of each batch (the history's progress). */
  backlogBytes = 0;

  constructor(
    readonly source: SourceSpec,
    readonly topic: string,
    readonly kafka: Kafka,
    /** The brokers as messages name them. */
    readonly brokers: string,
    /** The topic's low and high offsets when the run started. */
    readonly atStart: TopicOffsets,
    readonly handoff: Handoff,
  ) {
    this.processed = new Map(handoff.start);
    this.read = new Map(handoff.start);
    this.backlogDone = !handoff.backlogEnd || reached(handoff.backlogEnd, handoff.start);
    this.ends = new Map(atStart.high);
  }

  /** After a batch is taken: the partition's end as its fetch saw it. */
  noteEnd(partition: number, end: number): void {
    if (end > (this.ends.get(partition) ?? 0)) this.ends.set(partition, end);
    if ((this.processed.get(partition) ?? 0) >= end) this.reachedEnd.add(partition);
  }

  /** Records on the topic the run has not taken yet (as far as the last fetches saw its end). */
  lag(): number {
    let lag = 0;
    for (const [p, end] of this.ends) lag += Math.max(0, end - (this.processed.get(p) ?? 0));
    return lag;
  }

  /** Whether every partition has been read up to its end at least once (or had nothing to read). */
  caughtUp(): boolean {
    for (const [p, end] of this.ends) if (!this.reachedEnd.has(p) && (this.processed.get(p) ?? 0) < end) return false;
    return true;
  }

  /** The stop offsets of a run bounded by offsets ('caughtUp': the ends seen at start). */
  stop(until: Until): ReadonlyMap<number, number> | undefined {
    return stopOffsets(until, this.atStart.high);
  }

  /**
   * Takes a batch of one partition: the records before the stop offset, split at the backlog's end
   * into history and live. Offsets the reader skipped (control records) count as read.
   */
  take(partition: number, all: RecordBatch, until: Until): { backlog: RecordBatch; live: RecordBatch } {
    const limit = this.stop(until)?.get(partition);
    const kept = limit === undefined ? all.length : indexOfOffset(all, limit);
    this.read.set(partition, Math.max(this.read.get(partition) ?? 0, all.next));
    this.processed.set(partition, Math.max(this.processed.get(partition) ?? 0, Math.min(all.next, limit ?? Number.POSITIVE_INFINITY)));
    const end = this.backlogDone ? 0 : (this.handoff.backlogEnd?.get(partition) ?? 0);
    const split = end === 0 ? 0 : Math.min(kept, indexOfOffset(all, end));
    const backlog = sliceBatch(all, 0, split);
    this.backlogBytes += estimateBytes(backlog);
    return { backlog, live: sliceBatch(all, split, kept) };
  }

  /** Whether the backlog is read up to its end: then it is done. */
  checkBacklog(): boolean {
    if (!this.backlogDone && reached(this.handoff.backlogEnd!, this.read)) this.backlogDone = true;
    return this.backlogDone;
  }

  /** Whether a bounded run has read this input up to its stop offsets. */
  reachedStop(until: Until): boolean {
    const stop = this.stop(until);
    return stop !== undefined && reached(stop, this.read);
  }
}

/** The bytes of a batch's keys and values, from its first, middle and last record: no work per record. */
export function estimateBytes(batch: RecordBatch): number {
  const n = batch.length;
  if (n === 0) return 0;
  const at = [0, n >> 1, n - 1];
  const bytes = at.reduce((sum, i) => sum + Math.max(0, batch.values.len[i]!) + Math.max(0, batch.keys.len[i]!), 0);
  return Math.round((bytes / at.length) * n);
}

/** The Kafka client of a run (given, or the configured cluster) and the broker list its messages name. */
export function runKafka(given: Kafka | undefined): { kafka: Kafka; brokers: string } {
  return given ? { kafka: given, brokers: 'the given Kafka client' } : { kafka: kafkaClient(), brokers: resolveBrokers().join(',') };
}

/** A source's live input: its topic's offsets now, and the hand-off planned from them. */
export async function openInput(source: SourceSpec, client: { kafka: Kafka; brokers: string }, plan: (topic: TopicOffsets) => Promise<Handoff>): Promise<RunInput> {
  const topic = source.live!.topic;
  const atStart = await fetchTopicOffsets(client.kafka, topic, source.name, client.brokers);
  return new RunInput(source, topic, client.kafka, client.brokers, atStart, await plan(atStart));
}
