/**
 * Column types across the two engines: a DuckDB type as a Flink SQL type, and how a history column
 * is written to the Parquet file Flink reads (the staging cast). Timestamps become TIMESTAMP(3):
 * Flink's event time has millisecond precision. Types Flink cannot take are refused, naming the column.
 */
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { ident } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';

export interface FlinkColumn {
  readonly name: string;
  /** The DuckDB type the local engine uses. */
  readonly duck: string;
  /** The Flink SQL type of the same values. */
  readonly flink: string;
  /** DuckDB SQL that writes the column to the staged Parquet file in a form Flink's reader takes. */
  readonly stage: string;
  /** A STRUCT's fields (one level: fields of simple types), as Flink's ROW. */
  readonly fields?: readonly FlinkColumn[];
}

/** The fields of STRUCT(a BIGINT, "b" VARCHAR, ...), split at top-level commas. */
function structFields(type: string): Column[] | undefined {
  const inner = /^STRUCT\((.*)\)$/is.exec(type.trim())?.[1];
  if (inner === undefined) return undefined;
  const parts: string[] = [''];
  let depth = 0;
  for (const ch of inner) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) parts.push('');
    else parts[parts.length - 1] += ch;
  }
  return parts.map((p) => {
    const m = /^\s*("(?:[^"]|"")+"|[^\s]+)\s+(.+?)\s*$/s.exec(p);
    return { name: m?.[1]?.replace(/^"(.*)"$/s, '$1').replace(/""/g, '"') ?? p.trim(), type: m?.[2] ?? '' };
  });
}

/** DuckDB type → Flink type, and the DuckDB type an unsigned column is widened to in the staged file. */
const SIMPLE: Readonly<Record<string, readonly [string, string?]>> = {
  BOOLEAN: ['BOOLEAN'],
  TINYINT: ['TINYINT'],
  SMALLINT: ['SMALLINT'],
  INTEGER: ['INT'],
  BIGINT: ['BIGINT'],
  FLOAT: ['FLOAT'],
  DOUBLE: ['DOUBLE'],
  VARCHAR: ['STRING'],
  DATE: ['DATE'],
  UTINYINT: ['SMALLINT', 'SMALLINT'],
  USMALLINT: ['INT', 'INTEGER'],
  UINTEGER: ['BIGINT', 'BIGINT'],
};

const TIMESTAMPS = /^(TIMESTAMP|TIMESTAMP_MS|TIMESTAMP_S|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ)$/i;

/** The Flink type of a DuckDB column, with its staging cast; `where` names the column's owner for the message. */
export function flinkColumn(c: Column, where: string): FlinkColumn {
  const type = c.type.toUpperCase();
  const name = ident(c.name);
  const simple = SIMPLE[type];
  if (simple) return { name: c.name, duck: c.type, flink: simple[0], stage: simple[1] ? `CAST(${name} AS ${simple[1]})` : name };
  // µs in the file, read as TIMESTAMP(3); a zone-aware time is written as its UTC wall time
  if (TIMESTAMPS.test(type)) return { name: c.name, duck: c.type, flink: 'TIMESTAMP(3)', stage: `CAST(${/TZ|ZONE/.test(type) ? `timezone('UTC', ${name})` : name} AS TIMESTAMP)` };
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  // Flink's Parquet reader takes decimals stored as INT32 or INT64 (precision 18 at most)
  if (decimal && Number(decimal[1]) <= 18) return { name: c.name, duck: c.type, flink: `DECIMAL(${decimal[1]}, ${decimal[2]})`, stage: name };
  if (decimal || type === 'HUGEINT' || type === 'UBIGINT') return { name: c.name, duck: c.type, flink: 'DOUBLE', stage: `CAST(${name} AS DOUBLE)` };
  const fields = structFields(c.type);
  if (fields && fields.every((f) => structFields(f.type) === undefined)) {
    const typed = fields.map((f) => flinkColumn(f, `${where}, column ${c.name}`));
    return { name: c.name, duck: c.type, flink: `ROW<${typed.map((f) => `${fident(f.name)} ${f.flink}`).join(', ')}>`, stage: name, fields: typed };
  }
  throw new QueryError('flink-unsupported', messages.flinkColumnType(c.name, c.type, where));
}

export function flinkColumns(columns: readonly Column[], where: string): FlinkColumn[] {
  return columns.map((c) => flinkColumn(c, where));
}

/** A name quoted for Flink SQL. */
export function fident(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A string literal in Flink SQL. */
export function fliteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A duration as a Flink interval literal, exact to the millisecond: INTERVAL '0 00:30:00.000' DAY(3) TO SECOND(3). */
export function finterval(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const h = Math.floor(rest / 3_600_000);
  const m = Math.floor((rest % 3_600_000) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  return `INTERVAL '${sign}${days} ${pad(h)}:${pad(m)}:${pad(s)}.${pad(rest % 1000, 3)}' DAY(3) TO SECOND(3)`;
}

/** An epoch-ms instant as a Flink TIMESTAMP(3) literal (UTC wall time). */
export function ftimestamp(ms: number): string {
  return `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
}
