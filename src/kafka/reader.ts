/**
 * The exact-offset reader behind one interface: a topic read from given per-partition offsets,
 * handed over one partition's batch at a time, in offset order. For a client made here (createKafka,
 * kafkaClient) the reader fetches the partitions directly from their leaders (partitionReader.ts);
 * for a kafkajs client made elsewhere, whose settings are unknown, it falls back to kafkajs with a
 * consumer group of its own (groupReader.ts).
 */
import type { Kafka } from 'kafkajs';
import type { ReaderOptions, RecordHandler, TopicReader } from './readerTypes.js';
import { clientSettings } from './client.js';
import { FetchClient } from './fetchClient.js';
import { GroupReader } from './groupReader.js';
import { PartitionReader } from './partitionReader.js';

export type { RecordBatch, TopicRecord } from './batch.js';
export type { ReaderOptions, RecordHandler, TopicReader } from './readerTypes.js';

export function openReader(kafka: Kafka, topic: string, start: ReadonlyMap<number, number>, handler: RecordHandler, options: ReaderOptions = {}): TopicReader {
  const known = clientSettings(kafka);
  if (known) return new PartitionReader(new FetchClient(known.settings, known.brokers), topic, start, handler, options);
  return new GroupReader(kafka, topic, start, handler, options);
}
