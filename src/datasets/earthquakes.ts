/**
 * Earthquakes of one week (USGS feed of 2018-01-31 to 2018-02-07, shipped in vega-datasets as
 * earthquakes.json): one row per quake with its time, magnitude and the place as text, e.g.
 * "12km E of Coso Junction, CA". The text feeds the word-count and uppercase pipelines.
 */
import { join } from 'node:path';
import { cachedDataset, copyToParquet, sqlString } from './files.js';
import { DAY, timestampSql } from './split.js';
import type { SplitDataset } from './types.js';
import { vegaDataFile } from './vega.js';

export interface EarthquakesOptions {
  /** The last N days (of 7) are the live part. Default 2. */
  readonly liveDays?: number;
  readonly dir?: string;
}

export function earthquakesJson(): string {
  return vegaDataFile('earthquakes.json');
}

/** The feed's last day starts here; history is everything `liveDays` before it. */
const LAST_DAY = Date.parse('2018-02-06T00:00:00Z');

export async function earthquakes(options: EarthquakesOptions = {}): Promise<SplitDataset> {
  const liveDays = options.liveDays ?? 2;
  const split = LAST_DAY - (liveDays - 1) * DAY;
  const splitSql = timestampSql(split);
  const folder = await cachedDataset('earthquakes', { liveDays }, options.dir, async (conn, dir) => {
    await conn.run(`CREATE TABLE quakes AS
      SELECT f.id AS id, epoch_ms(f.properties.time) AS time, CAST(f.properties.mag AS DOUBLE) AS mag, f.properties.place AS place
      FROM (SELECT unnest(features) AS f FROM read_json(${sqlString(earthquakesJson())}))
      WHERE f.properties.place IS NOT NULL`);
    await copyToParquet(conn, `SELECT * FROM quakes WHERE time < ${splitSql} ORDER BY time, id`, join(dir, 'history.parquet'));
    await copyToParquet(conn, `SELECT * FROM quakes WHERE time >= ${splitSql} ORDER BY time, id`, join(dir, 'live.parquet'));
  });
  return { history: join(folder, 'history.parquet'), live: join(folder, 'live.parquet'), split: new Date(split).toISOString(), time: 'time' };
}
