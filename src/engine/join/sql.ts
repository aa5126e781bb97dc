/**
 * The interval join in DuckDB SQL: the select list of the joined stream (a's columns, then b's,
 * renamed where a already uses the name), the match condition, and when buffered rows can go.
 * Times are compared as epoch µs, so the interval bounds are exact.
 */
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { ident } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';
import { KAFKA_COLUMNS } from '../source/types.js';
import type { IntervalJoinNode } from '../plan/types.js';
import { US_PER_MS } from '../exec/windowSql.js';

export interface JoinShape {
  readonly select: string;
  readonly on: string;
}

export const timeUs = (alias: string, time: string): string => `epoch_us(CAST(${alias}.${ident(time)} AS TIMESTAMP))`;

export function joinShape(spec: IntervalJoinNode, a: { name: string; time: string; columns: readonly Column[] }, b: { name: string; time: string; columns: readonly Column[] }): JoinShape {
  const aNames = new Set(a.columns.map((c) => c.name));
  const bNames = new Set(b.columns.map((c) => c.name));
  let match: string;
  let dropped = new Set<string>();
  switch (spec.on.kind) {
    case 'keys':
      for (const k of spec.on.keys) {
        if (!aNames.has(k)) throw new QueryError('join-key', messages.joinKeyMissing(k, 'a', a.name, [...aNames].join(', ')));
        if (!bNames.has(k)) throw new QueryError('join-key', messages.joinKeyMissing(k, 'b', b.name, [...bNames].join(', ')));
      }
      match = spec.on.keys.map((k) => `a.${ident(k)} = b.${ident(k)}`).join(' AND ');
      dropped = new Set(spec.on.keys);
      break;
    case 'sql':
      match = `(${spec.on.sql})`;
      break;
    default: {
      const never: never = spec.on;
      return never;
    }
  }
  // b's Kafka metadata stays behind: the joined row's metadata is a's
  const bOut = b.columns.filter((c) => !dropped.has(c.name) && !(c.name in KAFKA_COLUMNS));
  const renamed = bOut.map((c) => `b.${ident(c.name)} AS ${ident(aNames.has(c.name) ? spec.rightPrefix + c.name : c.name)}`);
  const pads = Object.entries(KAFKA_COLUMNS).filter(([n]) => !aNames.has(n)).map(([n, t]) => `CAST(NULL AS ${t}) AS ${ident(n)}`);
  const within = `${timeUs('b', b.time)} BETWEEN ${timeUs('a', a.time)} + ${spec.lowerMs * US_PER_MS} AND ${timeUs('a', a.time)} + ${spec.upperMs * US_PER_MS}`;
  return { select: ['a.*', ...renamed, ...pads].join(', '), on: `${match} AND ${within}` };
}

export function joinSql(shape: JoinShape, aRelation: string, bRelation: string): string {
  return `SELECT ${shape.select} FROM ${aRelation} AS a JOIN ${bRelation} AS b ON ${shape.on}`;
}

/** SQL keeping the buffered a-rows a future b-row can still match (every future b has time ≥ wm_b). */
export function pruneLeftSql(spec: IntervalJoinNode, table: string, time: string, wmBUs: number): string | undefined {
  if (!Number.isFinite(wmBUs)) return wmBUs > 0 ? `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${table} LIMIT 0` : undefined;
  return `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${table} AS a WHERE ${timeUs('a', time)} + ${spec.upperMs * US_PER_MS} >= ${wmBUs}`;
}

/** SQL keeping the buffered b-rows a future a-row can still match (every future a has time ≥ wm_a). */
export function pruneRightSql(spec: IntervalJoinNode, table: string, time: string, wmAUs: number): string | undefined {
  if (!Number.isFinite(wmAUs)) return wmAUs > 0 ? `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${table} LIMIT 0` : undefined;
  return `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${table} AS b WHERE ${timeUs('b', time)} >= ${wmAUs} + ${spec.lowerMs * US_PER_MS}`;
}
