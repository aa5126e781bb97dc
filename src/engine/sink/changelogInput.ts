/**
 * A windowed query as a sink's input: its changelog framed for the sink's mode. Flat rows are
 * key, kind, seq, window_start, window_end, the group keys, then the values; the Kafka value is
 * { kind, window_start, window_end, group, values, seq } and its timestamp the window's last ms.
 */
import type { ChangelogRow } from '../changelog/types.js';
import type { Column } from '../exec/recordSql.js';
import type { ChangelogHub } from '../changelog/hub.js';
import type { WindowExecutor } from '../query/executor.js';
import type { Run } from '../run/driver.js';
import type { SinkInput, SinkMode, SinkRow } from './types.js';

const UPSERT_KINDS: ReadonlySet<string> = new Set(['final', 'revised']);

function frame(r: ChangelogRow, mode: SinkMode): SinkRow | undefined {
  const kind: string = r.kind;
  const retract = kind === 'retract';
  if (mode === 'final' && !retract && !UPSERT_KINDS.has(kind)) return undefined;
  const op = mode === 'changelog' ? 'append' : retract ? 'delete' : 'upsert';
  const row = { key: r.key, kind, seq: r.seq, window_start: r.windowStart, window_end: r.windowEnd, ...r.group, ...r.values };
  const value = op === 'delete' ? null : JSON.stringify({ kind, window_start: r.windowStart, window_end: r.windowEnd, group: r.group, values: r.values, seq: r.seq });
  return { op, key: r.key, row, value, timestampMs: r.windowEnd - 1 };
}

export function changelogInput(run: Run<ChangelogHub>, exec: WindowExecutor): SinkInput {
  const shape = exec.setup?.shape;
  const typed = (names: readonly string[] | undefined): Column[] => (names ?? []).map((name) => ({ name, type: shape?.types[name] ?? 'VARCHAR' }));
  const columns: Column[] = [
    { name: 'key', type: 'VARCHAR' },
    { name: 'kind', type: 'VARCHAR' },
    { name: 'seq', type: 'BIGINT' },
    { name: 'window_start', type: 'TIMESTAMP' },
    { name: 'window_end', type: 'TIMESTAMP' },
    ...typed(shape?.keys),
    ...typed(shape?.values),
  ];
  return {
    what: 'changelog',
    columns,
    duckdb: run.options.duckdb ?? exec.setup?.ownsInstance,
    fail: (e) => run.fail(e),
    brokerWatch: (topic, brokers) => run.outages.watch({ kind: 'sink', topic, brokers }),
    async *rows(mode) {
      for await (const batch of run.hub.batches()) {
        const out: SinkRow[] = [];
        for (const r of batch.rows) {
          const f = frame(r, mode);
          if (f) out.push(f);
        }
        if (out.length > 0) yield out;
      }
    },
  };
}
