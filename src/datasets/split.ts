/** Writing a generated table as history and live Parquet files, split at a point in time. */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { copyToParquet, loadRows, quote, sqlString, type Rows } from './files.js';

export function timestampSql(ms: number): string {
  return `TIMESTAMP ${sqlString(new Date(ms).toISOString().replace('T', ' ').replace('Z', ''))}`;
}

/**
 * Loads `data` as table `name`, then writes <dir>/history.parquet (splitColumn < split) and
 * <dir>/live.parquet (the rest), both ordered by `order`.
 */
export async function writeSplit(conn: DuckDBConnection, dir: string, name: string, data: Rows, splitColumn: string, split: number, order: readonly string[]): Promise<void> {
  await loadRows(conn, name, data);
  const by = order.map(quote).join(', ');
  const at = timestampSql(split);
  await copyToParquet(conn, `SELECT * FROM ${quote(name)} WHERE ${quote(splitColumn)} < ${at} ORDER BY ${by}`, join(dir, 'history.parquet'));
  await copyToParquet(conn, `SELECT * FROM ${quote(name)} WHERE ${quote(splitColumn)} >= ${at} ORDER BY ${by}`, join(dir, 'live.parquet'));
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
