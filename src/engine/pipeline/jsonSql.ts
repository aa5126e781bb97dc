/**
 * A pipeline record's Kafka message rendered by DuckDB: the value as JSON text and the key as text,
 * byte for byte what the records path writes (JSON.stringify of the record that `toRecords` builds),
 * so a Kafka sink needs no JavaScript object per row. That record's rules are spelled out per type;
 * DuckDB's own to_json would write times as text without a zone, integers beyond 2^53 bare (which
 * JSON.parse rounds), and NaN and Infinity (which are not JSON):
 *   times (TIMESTAMP of any precision, TIMESTAMPTZ, DATE)  epoch milliseconds, truncated toward zero
 *   BIGINT, HUGEINT and unsigned                           a number within ±(2^53 − 1), else a string of its digits
 *   DOUBLE, FLOAT, DECIMAL                                  the nearest double as JavaScript prints it; NaN and ±Infinity null
 *   VARCHAR, UUID, ENUM                                     a JSON string
 * A value DuckDB cannot render the same way (a string with a control character that JSON escapes in
 * hex, a time outside JavaScript's dates, an infinite time) makes the row's text NULL: that row is
 * rendered from its record instead. A column of another type (nested, INTERVAL, BLOB, TIME, ...), a
 * key column of a non-exact type, or a column name JavaScript would reorder leaves the whole
 * output to the records path. One difference is kept, where DuckDB is right: a string that starts
 * with U+FEFF keeps it here, while the records lose it (the client decodes text with a TextDecoder
 * that drops a leading byte order mark).
 */
import { ident, literal } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';
import type { RenderedColumns } from './output.js';

type Rendered = 'text' | 'int' | 'bigint' | 'bool' | 'double' | 'time';

const KINDS: readonly (readonly [RegExp, Rendered])[] = [
  [/^(VARCHAR|UUID|ENUM\(.*\))$/s, 'text'],
  [/^(TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT|UINTEGER)$/, 'int'],
  [/^(BIGINT|UBIGINT|HUGEINT|UHUGEINT)$/, 'bigint'],
  [/^BOOLEAN$/, 'bool'],
  [/^(DOUBLE|FLOAT|DECIMAL\(\d+,\d+\))$/, 'double'],
  [/^(TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE|DATE)$/, 'time'],
];

const renderedAs = (type: string): Rendered | undefined => KINDS.find(([re]) => re.test(type.trim().toUpperCase()))?.[1];

/** JavaScript's Date range, in ms: a time beyond it fails in the records path, so it goes there too. */
const MAX_DATE_MS = 8_640_000_000_000_000;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** The JSON text of column `x` (never NULL for a rendered value: 'null'), or NULL where the records path must render the row. */
function valueSql(x: string, kind: Rendered): string {
  switch (kind) {
    case 'text': {
      // JSON escapes other control characters as \u00XX: DuckDB in upper case, JavaScript in lower
      const j = `CAST(to_json(${x}) AS VARCHAR)`;
      return `CASE WHEN ${x} IS NULL THEN 'null' WHEN contains(${j}, '\\u00') THEN NULL ELSE ${j} END`;
    }
    case 'int':
    case 'bool':
      return `coalesce(CAST(${x} AS VARCHAR), 'null')`;
    case 'bigint':
      return `CASE WHEN ${x} IS NULL THEN 'null' WHEN ${x} BETWEEN ${-MAX_SAFE} AND ${MAX_SAFE} THEN CAST(${x} AS VARCHAR) ELSE '"' || CAST(${x} AS VARCHAR) || '"' END`;
    case 'double': {
      // DuckDB prints the same shortest digits as JavaScript, but 1.0 for 1, 1e21 for 1e+21 and -0.0 for 0
      const d = `CAST(${x} AS DOUBLE)`;
      const j = `CAST(to_json(${d}) AS VARCHAR)`;
      return `CASE WHEN ${x} IS NULL OR NOT isfinite(${d}) THEN 'null' WHEN ${d} = 0 THEN '0' WHEN abs(${d}) >= 1e21 THEN replace(${j}, 'e', 'e+') WHEN ${d} = trunc(${d}) THEN left(${j}, -2) ELSE ${j} END`;
    }
    case 'time':
      return `CASE WHEN ${x} IS NULL THEN 'null' WHEN abs(epoch_ms(${x})) <= ${MAX_DATE_MS} THEN CAST(epoch_ms(${x}) AS VARCHAR) END`;
  }
}

/** The key text of column `x`: String() of the record's value. */
function keySql(x: string, kind: Rendered): string | undefined {
  switch (kind) {
    case 'text': case 'int': case 'bool': case 'bigint': return `CAST(${x} AS VARCHAR)`;
    case 'time': return `CAST(epoch_ms(${x}) AS VARCHAR)`;
    case 'double': return undefined;
  }
}

/**
 * Names a record keeps in column order (not array indices, which JavaScript puts first; no __proto__;
 * no repeats), none of them the field names below, and at least one.
 */
const plainNames = (columns: readonly Column[]): boolean =>
  columns.length > 0 &&
  new Set(columns.map((c) => c.name.toLowerCase())).size === columns.length &&
  columns.every((c) => !/^(0|[1-9]\d*)$/.test(c.name) && c.name !== '__proto__' && !c.name.toLowerCase().startsWith('wp_field_'));

/** Whether DuckDB renders these output columns' messages, keyed by `key` (a column, or none). */
export function renders(columns: readonly Column[], key: string | undefined): boolean {
  if (!plainNames(columns) || columns.some((c) => renderedAs(c.type) === undefined)) return false;
  const at = columns.findIndex((c) => c.name === key);
  return key === undefined || (at >= 0 && keySql('', renderedAs(columns[at]!.type)!) !== undefined);
}

/**
 * The pipeline's SQL with the messages beside its columns: the JSON value, a text column per key
 * column DuckDB renders (the others are left out), and the time column as epoch ms when asked. Each
 * field's text is computed once, below the value that joins them (with concat: one string per row).
 */
export function messagesSql(sql: string, columns: readonly Column[], keys: readonly (string | undefined)[], time: string | undefined): { sql: string; rendered: RenderedColumns } | undefined {
  const shown = keys.filter((k) => renders(columns, k));
  if (shown.length === 0) return undefined;
  const n = columns.length;
  const field = (i: number): string => `wp_field_${i}`;
  const fields = columns.map((c, i) => `${valueSql(ident(c.name), renderedAs(c.type)!)} AS ${field(i)}`);
  const joined = columns.map((c, i) => `${literal(`${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`)}, ${field(i)}`);
  const value = `CASE WHEN ${columns.map((_c, i) => `${field(i)} IS NULL`).join(' OR ')} THEN NULL ELSE concat(${joined.join(', ')}, '}') END`;
  const extra = [value];
  const at = new Map<string | undefined, number | undefined>();
  for (const k of shown) {
    const c = columns.find((x) => x.name === k);
    if (c) extra.push(keySql(ident(c.name), renderedAs(c.type)!)!);
    at.set(k, c ? n + extra.length - 1 : undefined);
  }
  const stamp = time === undefined ? undefined : n + extra.push(`CAST(epoch_ms(${ident(time)}) AS DOUBLE)`) - 1;
  const inner = `SELECT *, ${fields.join(', ')} FROM (${sql}) AS wp_output`;
  return {
    sql: `SELECT * EXCLUDE (${columns.map((_c, i) => field(i)).join(', ')}), ${extra.join(', ')} FROM (${inner})`,
    rendered: { value: n, keys: at, time: stamp },
  };
}
