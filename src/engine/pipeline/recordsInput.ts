/**
 * A pipeline as a sink's input. A Kafka sink takes messages: the key is the named column's value
 * (else the record's _key when selected), the value the record as JSON (rendered by DuckDB where it
 * can: jsonSql.ts), the timestamp its event time when the record carries the source's time column.
 * Other sinks take the records, appended.
 */
import type { MessageColumns, SinkInput, SinkRow } from '../sink/types.js';
import type { Run } from '../run/driver.js';
import type { PipelineExecutor } from './executor.js';
import type { RecordHub } from './hub.js';
import { messagesOf, type OutputWant } from './output.js';

export function recordsInput(run: Run<RecordHub>, exec: PipelineExecutor): SinkInput {
  const setup = exec.setup!;
  const columns = setup.output;
  const time = columns.some((c) => c.name === exec.source.time) ? exec.source.time : undefined;
  return {
    what: 'records',
    columns,
    duckdb: run.options.duckdb ?? setup.ownsInstance,
    fail: (e) => run.fail(e),
    brokerWatch: (topic, brokers) => run.outages.watch({ kind: 'sink', topic, brokers }),
    rows() {
      const sub = run.hub.subscribe({ kind: 'records' });
      return (async function* () {
        for await (const batch of sub) yield (batch.records ?? []).map((row): SinkRow => ({ op: 'append', key: null, row, value: null, timestampMs: undefined }));
      })();
    },
    messages(key, eventTime) {
      const want: OutputWant = { kind: 'messages', key: key ?? (columns.some((c) => c.name === '_key') ? '_key' : undefined), time: eventTime ? time : undefined };
      const sub = run.hub.subscribe(want);
      return (async function* (): AsyncGenerator<MessageColumns> {
        for await (const batch of sub) yield messagesOf(batch, want);
      })();
    },
  };
}
