/**
 * US domestic flights, January–June 2001 (vega-datasets flights-3m.parquet: date, delay, distance,
 * origin, destination). The busiest `airports` origins, split by date into a history file and the
 * live file that is replayed into Kafka.
 */
import { join } from 'node:path';
import { cachedDataset, copyToParquet, sqlString } from './files.js';
import { DAY, timestampSql as ts } from './split.js';
import type { SplitDataset } from './types.js';
import { vegaDataFile } from './vega.js';

export interface FlightsOptions {
  /** First day of history (UTC). Default 2001-01-01. */
  readonly start?: string;
  /** Days of history, then days of live data. Defaults 14 and 2. */
  readonly historyDays?: number;
  readonly liveDays?: number;
  /** Keep the N busiest origin airports (default 6). */
  readonly airports?: number;
  /** Folder for the files (default: .windowpane/datasets). */
  readonly dir?: string;
}

/** The path of flights-3m.parquet in the installed vega-datasets package. */
export function flightsParquet(): string {
  return vegaDataFile('flights-3m.parquet');
}

export async function flights(options: FlightsOptions = {}): Promise<SplitDataset> {
  const start = Date.parse(`${options.start ?? '2001-01-01'}T00:00:00Z`);
  const historyDays = options.historyDays ?? 14;
  const liveDays = options.liveDays ?? 2;
  const airports = options.airports ?? 6;
  const split = start + historyDays * DAY;
  const end = split + liveDays * DAY;
  const folder = await cachedDataset('flights', { start, historyDays, liveDays, airports }, options.dir, async (conn, dir) => {
    const file = sqlString(flightsParquet());
    await conn.run(`CREATE TABLE flights AS
      WITH busiest AS (SELECT origin FROM read_parquet(${file}) GROUP BY origin ORDER BY count(*) DESC, origin LIMIT ${airports})
      SELECT date, delay, distance, origin, destination FROM read_parquet(${file})
      WHERE origin IN (SELECT origin FROM busiest) AND date >= ${ts(start)} AND date < ${ts(end)}`);
    const order = 'ORDER BY date, origin, destination, delay, distance';
    await copyToParquet(conn, `SELECT * FROM flights WHERE date < ${ts(split)} ${order}`, join(dir, 'history.parquet'));
    await copyToParquet(conn, `SELECT * FROM flights WHERE date >= ${ts(split)} ${order}`, join(dir, 'live.parquet'));
  });
  return { history: join(folder, 'history.parquet'), live: join(folder, 'live.parquet'), split: new Date(split).toISOString(), time: 'date' };
}
