/**
 * The reader of one live input, as a run uses it: its broker outages go to the run's watch
 * (outage.ts), a sample of each batch to the schema drift check, and every batch to the run.
 * The one place the run makes a Kafka reader, whatever client reads.
 */
import { openReader, type RecordHandler, type TopicReader } from '../../kafka/reader.js';
import { DriftWatch } from '../source/drift.js';
import type { RunInput } from './input.js';
import type { Outages } from './outage.js';

export function inputReader(
  input: RunInput,
  outages: Outages,
  warn: (message: string) => void,
  deliver: RecordHandler,
  fail: (e: unknown) => void,
): TopicReader {
  const watch = outages.watch({ kind: 'source', source: input.source.name, topic: input.topic, brokers: input.brokers, positions: () => input.processed });
  const drift = input.source.live?.format === 'json' ? new DriftWatch(input.source, input.topic, warn) : undefined;
  return openReader(input.kafka, input.topic, input.handoff.start, (partition, batch, end) => {
    drift?.observe(partition, batch);
    return deliver(partition, batch, end);
  }, { watch, onFailure: fail });
}
