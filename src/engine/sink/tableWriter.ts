/**
 * The DuckDB table sink: final rows upserted by key (delete + insert in one transaction; a retracted
 * row deletes its key), or every row appended. The table is created when missing; an existing one
 * must have the same columns, so a re-run upserts into its own table.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { SinkError } from '../../errors.js';
import { messages } from '../../messages.js';
import { ident, literal } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';
import type { SinkMode, SinkRow, SinkStats, SinkWriter } from './types.js';
import { columnDefs, insertRows } from './values.js';

/** The quoted (optionally schema-qualified) table name, or a clear error. */
export function tableName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) throw new SinkError('sink-table-name', messages.sinkTableName(name));
  return name.split('.').map(ident).join('.');
}

async function existingColumns(conn: DuckDBConnection, table: string): Promise<Column[] | undefined> {
  const [schema, name] = table.includes('.') ? table.split('.') : [undefined, table];
  const r = await conn.runAndReadAll(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${literal(name ?? table)}${schema ? ` AND table_schema = ${literal(schema)}` : ` AND table_schema = current_schema()`} ORDER BY ordinal_position`,
  );
  const rows = r.getRows();
  return rows.length === 0 ? undefined : rows.map(([n, t]) => ({ name: String(n), type: String(t) }));
}

const describe = (cols: readonly Column[]): string => cols.map((c) => `${c.name} ${c.type}`).join(', ');

export async function openTableWriter(instance: DuckDBInstance, table: string, columns: readonly Column[], mode: SinkMode, keyed: boolean): Promise<SinkWriter> {
  const quoted = tableName(table);
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    const have = await existingColumns(conn, table);
    if (!have) await conn.run(`CREATE TABLE ${quoted} (${columnDefs(columns)})`);
    else if (describe(have).toUpperCase() !== describe(columns).toUpperCase()) {
      throw new SinkError('sink-table-shape', messages.sinkTableShape(table, describe(have), describe(columns)), { context: { table } });
    }
  } catch (e) {
    conn.closeSync();
    throw e;
  }
  return new TableWriter(conn, quoted, columns, mode === 'final' && keyed);
}

class TableWriter implements SinkWriter {
  readonly stats = { rows: 0, deleted: 0, messages: 0, files: 0 } satisfies SinkStats;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly table: string,
    private readonly columns: readonly Column[],
    private readonly upsert: boolean,
  ) {}

  async write(rows: readonly SinkRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.upsert) {
      await insertRows(this.conn, this.table, this.columns, rows.map((r) => r.row));
      this.stats.rows += rows.length;
      return;
    }
    // the last row per key wins within a batch
    const last = new Map<string, SinkRow>();
    for (const r of rows) if (r.key !== null) last.set(r.key, r);
    const keys = [...last.keys()];
    const upserts = [...last.values()].filter((r) => r.op !== 'delete');
    await this.conn.run('BEGIN TRANSACTION');
    try {
      for (let i = 0; i < keys.length; i += 1000) {
        await this.conn.run(`DELETE FROM ${this.table} WHERE key IN (${keys.slice(i, i + 1000).map(literal).join(', ')})`);
      }
      await insertRows(this.conn, this.table, this.columns, upserts.map((r) => r.row));
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    this.stats.rows += upserts.length;
    this.stats.deleted += last.size - upserts.length;
  }

  close(): Promise<void> {
    this.conn.closeSync();
    return Promise.resolve();
  }

  abort(): Promise<void> {
    return this.close();
  }
}
