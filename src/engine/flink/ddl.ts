/**
 * The tables a Flink job reads, as CREATE TEMPORARY TABLE statements:
 *
 *   history  the Parquet file DuckDB staged (sorted by event time), through the filesystem
 *            connector; in an unbounded run the source keeps watching its folder, so it never ends
 *            and never sends Flink's end-of-input watermark ahead of the live topic
 *   live     the topic through the Kafka connector, from the hand-off's exact offsets
 *            (specific-offsets), to the stop offsets of a bounded run (scan.bounded.mode)
 *   lookup   an enrichment table, versioned by its key, for an event-time temporal join
 */
import { fident, finterval, fliteral, type FlinkColumn } from './types.js';
import { liveColumnsDdl } from './liveRecord.js';
import type { LiveSpec } from '../source/types.js';

function withOptions(options: Readonly<Record<string, string>>): string {
  return `WITH (${Object.entries(options).map(([k, v]) => `${fliteral(k)} = ${fliteral(v)}`).join(', ')})`;
}

/** partition:0,offset:42;partition:1,offset:7 */
export function offsetList(offsets: ReadonlyMap<number, number>): string {
  return [...offsets].sort(([a], [b]) => a - b).map(([p, o]) => `partition:${p},offset:${o}`).join(';');
}

export interface HistoryTable {
  readonly table: string;
  readonly path: string;
  readonly columns: readonly FlinkColumn[];
  readonly time: string;
  /** The watermark's lag behind the latest event time read: the bound, plus what per-partition history adds. */
  readonly lagMs: number;
  /** Keep watching for files: the source never finishes (an unbounded run). */
  readonly unbounded: boolean;
}

export function historyTableDdl(h: HistoryTable): string {
  const cols = h.columns.map((c) => `${fident(c.name)} ${c.flink}`);
  const options: Record<string, string> = { connector: 'filesystem', path: `file://${h.path}`, format: 'parquet' };
  if (h.unbounded) options['source.monitor-interval'] = '1 h';
  return `CREATE TEMPORARY TABLE ${fident(h.table)} (${[...cols, `WATERMARK FOR ${fident(h.time)} AS ${fident(h.time)} - ${finterval(h.lagMs)}`].join(', ')}) ${withOptions(options)}`;
}

export interface LiveTable {
  readonly table: string;
  readonly live: LiveSpec;
  readonly columns: readonly FlinkColumn[];
  readonly time: string;
  readonly boundMs: number;
  readonly brokers: string;
  readonly start: ReadonlyMap<number, number>;
  /** The offsets a bounded run stops before. */
  readonly stop: ReadonlyMap<number, number> | undefined;
  /** The run's parallelism: a source reads with at most one reader per partition (an idle reader would hold the watermark back). */
  readonly parallelism: number;
}

export function liveTableDdl(l: LiveTable): string {
  const options: Record<string, string> = {
    connector: 'kafka',
    topic: l.live.topic,
    'properties.bootstrap.servers': l.brokers,
    format: 'raw',
    'key.format': 'raw',
    'key.fields': '_key',
    'value.fields-include': 'EXCEPT_KEY',
    'scan.startup.mode': 'specific-offsets',
    'scan.startup.specific-offsets': offsetList(l.start),
  };
  if (l.stop) Object.assign(options, { 'scan.bounded.mode': 'specific-offsets', 'scan.bounded.specific-offsets': offsetList(l.stop) });
  if (l.parallelism > l.start.size) options['scan.parallelism'] = String(Math.max(1, l.start.size));
  return `CREATE TEMPORARY TABLE ${fident(l.table)} (${liveColumnsDdl(l.live, l.columns, l.time, l.boundMs).join(', ')}) ${withOptions(options)}`;
}

export interface LookupTable {
  readonly table: string;
  readonly path: string;
  readonly columns: readonly FlinkColumn[];
  readonly keys: readonly string[];
}

/** Every row is valid from the epoch on: a temporal join as of any event time finds it. */
export function lookupTableDdl(t: LookupTable): string {
  const cols = t.columns.map((c) => `${fident(c.name)} ${c.flink}`);
  return `CREATE TEMPORARY TABLE ${fident(t.table)} (${[
    ...cols,
    "`__wp_version` AS CAST(TIMESTAMP '1970-01-01 00:00:00' AS TIMESTAMP(3))",
    'WATERMARK FOR `__wp_version` AS `__wp_version`',
    `PRIMARY KEY (${t.keys.map(fident).join(', ')}) NOT ENFORCED`,
  ].join(', ')}) ${withOptions({ connector: 'filesystem', path: `file://${t.path}`, format: 'parquet' })}`;
}
