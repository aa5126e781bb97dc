/**
 * Rows of scalars into a DuckDB table. Every value travels as text in a VALUES list and is cast by
 * the column's type; times arrive as epoch ms (how the changelog and records carry them) and nested
 * values as JSON text, so a row goes back to exactly the type it came from.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Scalar } from '../changelog/types.js';
import { ident, literal } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';

const TIME = /^(TIMESTAMP|TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE|DATE|TIMESTAMP_MS|TIMESTAMP_S|TIMESTAMP_NS|TIMESTAMP\(\d\))$/i;
const NESTED = /[()[\]]|^(STRUCT|MAP|LIST|UNION|JSON)/i;
const CHUNK = 1000;

function text(v: Scalar | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  return literal(typeof v === 'string' ? v : String(v));
}

/** The typed value of VARCHAR expression `x` for a column type. */
function cast(x: string, type: string): string {
  if (/^VARCHAR$/i.test(type)) return x;
  if (TIME.test(type)) return `CAST(make_timestamp(CAST(CAST(${x} AS DOUBLE) * 1000 AS BIGINT)) AS ${type})`;
  if (NESTED.test(type)) return `TRY_CAST(CAST(${x} AS JSON) AS ${type})`;
  return `CAST(${x} AS ${type})`;
}

/** Inserts rows (flat records by column name) into `table`, whose columns are `columns`, in chunks. */
export async function insertRows(conn: DuckDBConnection, table: string, columns: readonly Column[], rows: readonly Readonly<Record<string, Scalar>>[]): Promise<void> {
  const names = columns.map((c) => ident(c.name)).join(', ');
  const aliases = columns.map((_c, i) => `c${i}`);
  const select = columns.map((c, i) => cast(aliases[i]!, c.type)).join(', ');
  for (let from = 0; from < rows.length; from += CHUNK) {
    const values = rows.slice(from, from + CHUNK).map((r) => `(${columns.map((c) => text(r[c.name])).join(', ')})`);
    // VALUES types every column VARCHAR (all literals are text), so one cast per column suffices
    await conn.run(`INSERT INTO ${table} (${names}) SELECT ${select} FROM (VALUES ${values.join(', ')}) AS v(${aliases.join(', ')})`);
  }
}

/** `CREATE TABLE` column list for these columns. */
export function columnDefs(columns: readonly Column[]): string {
  return columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
}
