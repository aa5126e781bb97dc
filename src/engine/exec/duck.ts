/** Small DuckDB helpers: quoting, value conversion to changelog scalars. */
import { DuckDBDateValue, type DuckDBConnection, DuckDBDecimalValue, DuckDBTimestampValue, DuckDBTimestampTZValue, DuckDBTimestampMillisecondsValue, DuckDBTimestampSecondsValue, DuckDBTimestampNanosecondsValue, type DuckDBValue } from '@duckdb/node-api';
import type { Scalar } from '../changelog/types.js';

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A DuckDB value as a changelog scalar: timestamps → epoch ms, BIGINT → number when safe. */
export function toScalar(v: DuckDBValue): Scalar {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return Number(v.micros / 1000n);
  if (v instanceof DuckDBTimestampMillisecondsValue) return Number(v.millis);
  if (v instanceof DuckDBTimestampSecondsValue) return Number(v.seconds) * 1000;
  if (v instanceof DuckDBTimestampNanosecondsValue) return Number(v.nanos / 1_000_000n);
  if (v instanceof DuckDBDateValue) return v.days * 86_400_000;
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  return v.toString();
}

/** The rows of a query as records of changelog scalars, by column name. */
export async function readRecords(conn: DuckDBConnection, sql: string): Promise<Record<string, Scalar>[]> {
  const r = await conn.runAndReadAll(sql);
  const names = r.columnNames();
  return r.getRows().map((row) => Object.fromEntries(names.map((n, i) => [n, toScalar(row[i] ?? null)])));
}

/** A value from DuckDB's JS conversion (getColumnsJS) as a changelog scalar. */
export function jsToScalar(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string': case 'number': case 'boolean': return v;
    case 'bigint': return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    default:
      if (v instanceof Date) return v.getTime();
      return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
}
