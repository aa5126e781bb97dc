/**
 * Live records that do not read, back from Flink in the job's own result: the query's rows UNION ALL
 * each live table's unreadable records, told apart by six trailing columns (reason, partition,
 * offset, record time, key, value) that are NULL on result rows. They go to the query's dead-letter
 * table, as on the local engine: counted and kept, never dropped.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResultRow } from '../../flink/types.js';
import { literal } from '../exec/duck.js';
import { T } from '../exec/tables.js';
import { REASON, VALUE } from './liveRecord.js';
import { fident } from './types.js';

export const DEAD_COLUMNS = ['reason', 'partition', 'offset', 'timestamp', 'key', 'value'] as const;

/** The unreadable records of a live table, in the trailing columns' order. */
export function deadLetterSelect(table: string): string {
  return `SELECT \`${REASON}\`, \`_partition\`, \`_offset\`, \`_timestamp\`, \`_key\`, ${VALUE} FROM ${fident(table)} WHERE \`${REASON}\` IS NOT NULL`;
}

/** The result view's rows with NULL trailing columns, UNION ALL the dead letters with NULL result columns. */
export function withDeadLetters(resultView: string, described: readonly { name: string; type: string }[], dead: readonly string[]): string {
  const nulls = ['STRING', 'INT', 'BIGINT', 'TIMESTAMP(3)', 'STRING', 'STRING'];
  const trailing = DEAD_COLUMNS.map((c, i) => `CAST(NULL AS ${nulls[i]}) AS \`__wp_dead_${c}\``);
  const results = `SELECT ${[...described.map((c) => `r.${fident(c.name)}`), ...trailing].join(', ')} FROM ${fident(resultView)} AS r`;
  const padded = described.map((c) => `CAST(NULL AS ${c.type.replace(/\s*\*(ROWTIME|PROCTIME)\*/, '').replace(/\s+NOT NULL$/, '')}) AS ${fident(c.name)}`);
  return [results, ...dead.map((d) => `SELECT ${[...padded, ...DEAD_COLUMNS.map((c) => `d.\`__wp_d_${c}\``)].join(', ')} FROM (${d}) AS d (${DEAD_COLUMNS.map((c) => `\`__wp_d_${c}\``).join(', ')})`)].join(' UNION ALL ');
}

export interface DeadLetter {
  readonly reason: string;
  readonly partition: number | null;
  readonly offset: number | null;
  readonly timestamp: string | null;
  readonly key: string | null;
  readonly value: string | null;
}

/** The dead letter a row carries (its trailing columns after `width` result columns), if it is one. */
export function deadLetterOf(row: ResultRow, width: number): DeadLetter | undefined {
  const f = row.fields.slice(width);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const reason = str(f[0]);
  return reason === null ? undefined : { reason, partition: num(f[1]), offset: num(f[2]), timestamp: str(f[3]), key: str(f[4]), value: str(f[5]) };
}

/** Appends dead letters to the query's dead-letter table (record times: Flink writes UTC wall time). */
export async function keepDeadLetters(conn: DuckDBConnection, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  const text = (v: string | null): string => (v === null ? 'NULL' : literal(v));
  const rows = letters.map((d) => `(${d.partition ?? 'NULL'}, ${d.offset ?? 'NULL'}, ${d.timestamp === null ? 'NULL' : `CAST(${literal(d.timestamp.replace('T', ' ').replace(/Z$/, ''))} AS TIMESTAMP)`}, ${text(d.key)}, ${text(d.value)}, ${text(d.reason)})`);
  await conn.run(`INSERT INTO ${T.dead} VALUES ${rows.join(', ')}`);
}
