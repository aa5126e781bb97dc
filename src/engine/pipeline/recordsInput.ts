/**
 * A pipeline as a sink's input: its records, appended. The Kafka key is the named column's value
 * (else the record's _key when selected), the value the record as JSON, the timestamp its event time
 * when the record carries the source's time column.
 */
import type { Scalar } from '../changelog/types.js';
import type { SinkInput, SinkRow } from '../sink/types.js';
import type { Run } from '../run/driver.js';
import type { PipelineExecutor } from './executor.js';
import type { RecordHub } from './hub.js';

const epochMs = (v: Scalar | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const keyText = (v: Scalar | undefined): string | null => (v === null || v === undefined ? null : String(v));

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
    rows(_mode, key) {
      const keyColumn = key ?? (columns.some((c) => c.name === '_key') ? '_key' : undefined);
      const sub = run.hub.subscribe();
      return (async function* () {
        for await (const batch of sub) {
          yield batch.records.map((r): SinkRow => ({
            op: 'append',
            key: keyColumn === undefined ? null : keyText(r[keyColumn]),
            row: r,
            value: JSON.stringify(r),
            timestampMs: time === undefined ? undefined : epochMs(r[time]),
          }));
        }
      })();
    },
  };
}
