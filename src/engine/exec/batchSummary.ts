/**
 * What the engine needs to know of a typed micro-batch, from one query over it: how many rows are
 * good and bad, the earliest good event time, the latest per partition (the watermarks), and for
 * grid windows the earliest per grid bucket (the windows it touched, computed in JavaScript).
 * One statement where the engine used to run four (dead-letter count, late check, touched windows,
 * partition maxima); the late check and the dead-letter insert then run only when needed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { T } from './tables.js';

export interface BatchSummary {
  /** Typed rows with an event time, and rows that became dead letters. */
  readonly good: number;
  readonly bad: number;
  /** The earliest event time of the good rows, µs (+∞ when none). */
  readonly minUs: number;
  /** The latest event time of the good rows per partition, µs (rows without a partition are left out). */
  readonly maxUs: ReadonlyMap<number, number>;
  /** The earliest event time of the good rows in each grid bucket, µs (empty without a bucket expression). */
  readonly bucketMins: readonly number[];
}

/**
 * Summarizes T.batch. `timeUs`: SQL for a row's event time in µs; `bucket`: SQL bucketing a µs
 * expression (the grid), or undefined.
 */
export async function summarizeBatch(conn: DuckDBConnection, timeUs: string, bucket: ((x: string) => string) | undefined): Promise<BatchSummary> {
  const good = '__reason IS NULL';
  const r = await conn.runAndReadAll(
    `SELECT _partition, ${bucket ? bucket('__wp_t') : 'NULL'}, count(*) FILTER (WHERE ${good}), count(*) FILTER (WHERE NOT (${good})), ` +
      `min(__wp_t) FILTER (WHERE ${good}), max(__wp_t) FILTER (WHERE ${good}) FROM (SELECT _partition, __reason, ${timeUs} AS __wp_t FROM ${T.batch}) GROUP BY ALL`,
  );
  let nGood = 0;
  let nBad = 0;
  let minUs = Number.POSITIVE_INFINITY;
  const maxUs = new Map<number, number>();
  const buckets = new Map<number, number>();
  for (const [p, b, g, d, min, max] of r.getRows()) {
    nGood += Number(g);
    nBad += Number(d);
    if (min === null || max === null || min === undefined || max === undefined) continue;
    minUs = Math.min(minUs, Number(min));
    if (p !== null && p !== undefined) maxUs.set(Number(p), Math.max(maxUs.get(Number(p)) ?? Number.NEGATIVE_INFINITY, Number(max)));
    if (b !== null && b !== undefined) buckets.set(Number(b), Math.min(buckets.get(Number(b)) ?? Number.POSITIVE_INFINITY, Number(min)));
  }
  return { good: nGood, bad: nBad, minUs, maxUs, bucketMins: [...buckets.values()] };
}
