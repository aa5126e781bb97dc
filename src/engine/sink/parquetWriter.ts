/**
 * The Parquet sink: rows are buffered and written through a private in-memory DuckDB with
 * COPY ... (FORMAT parquet) as part-000001.parquet, part-000002.parquet, ...: rowsPerFile rows per
 * part, a smaller part once the oldest row has waited flushEvery, and the rest at the end. A part is
 * written under a hidden name and renamed, so read_parquet('dir/*.parquet') never sees half a file.
 * Parquet files are immutable: a revised or retracted window appears again in a later part with a
 * higher seq; keep the last row per key (see the guide).
 */
import { accessSync, constants, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SinkError } from '../../errors.js';
import { messages } from '../../messages.js';
import { literal } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';
import type { SinkRow, SinkStats, SinkWriter } from './types.js';
import { columnDefs, insertRows } from './values.js';

const PART = /^part-\d{6}\.parquet$/;

function prepareDir(dir: string, overwrite: boolean): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (cause) {
    throw new SinkError('sink-dir-not-writable', messages.sinkDirNotWritable(dir, cause instanceof Error ? cause.message : String(cause)), { cause, context: { dir } });
  }
  const parts = readdirSync(dir).filter((f) => PART.test(f));
  if (parts.length > 0 && !overwrite) throw new SinkError('sink-dir-has-parts', messages.sinkDirHasParts(dir, parts.length), { context: { dir } });
  for (const f of parts) rmSync(join(dir, f));
}

export async function openParquetWriter(dir: string, columns: readonly Column[], rowsPerFile: number, flushEveryMs: number, overwrite: boolean): Promise<SinkWriter> {
  prepareDir(dir, overwrite);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  return new ParquetWriter(db, conn, dir, columns, rowsPerFile, flushEveryMs);
}

class ParquetWriter implements SinkWriter {
  readonly stats = { rows: 0, deleted: 0, messages: 0, files: 0 } satisfies SinkStats;
  private buffered: SinkRow['row'][] = [];
  private oldestMs = 0;

  constructor(
    private readonly db: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly dir: string,
    private readonly columns: readonly Column[],
    private readonly rowsPerFile: number,
    private readonly flushEveryMs: number,
  ) {}

  async write(rows: readonly SinkRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.buffered.length === 0) this.oldestMs = Date.now();
    for (const r of rows) this.buffered.push(r.row);
    this.stats.rows += rows.length;
    while (this.buffered.length >= this.rowsPerFile) await this.writePart(this.buffered.splice(0, this.rowsPerFile));
    if (this.buffered.length > 0 && Date.now() - this.oldestMs >= this.flushEveryMs) await this.writePart(this.buffered.splice(0));
  }

  /** One part file: the rows through a DuckDB table, COPY to a hidden name, then renamed. */
  private async writePart(rows: readonly SinkRow['row'][]): Promise<void> {
    if (rows.length === 0) return;
    this.oldestMs = Date.now();
    await this.conn.run(`CREATE OR REPLACE TABLE buffered (${columnDefs(this.columns)})`);
    await insertRows(this.conn, 'buffered', this.columns, rows);
    const name = `part-${String(this.stats.files + 1).padStart(6, '0')}.parquet`;
    const hidden = join(this.dir, `.${name}.tmp`);
    await this.conn.run(`COPY buffered TO ${literal(hidden)} (FORMAT parquet)`);
    renameSync(hidden, join(this.dir, name));
    this.stats.files++;
  }

  async close(): Promise<void> {
    try {
      await this.writePart(this.buffered.splice(0));
    } finally {
      await this.abort();
    }
  }

  abort(): Promise<void> {
    this.conn.closeSync();
    this.db.closeSync();
    return Promise.resolve();
  }
}
