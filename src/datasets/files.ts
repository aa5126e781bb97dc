/**
 * Where generated data lives and how it is written: every data set is a folder of Parquet files,
 * named by a hash of its parameters, written by DuckDB into a temporary folder and renamed into
 * place (so concurrent runs never see half a file, and a second call reuses the first's files).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance, timestampValue, type DuckDBConnection } from '@duckdb/node-api';
import { SourceError } from '../errors.js';
import { messages } from '../messages.js';
import { stateDir } from '../util/paths.js';

/** Bump when a generator changes its output, so cached folders are not reused. */
const GENERATOR_VERSION = 4;

export type ColumnType = 'TIMESTAMP' | 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BOOLEAN';
export type Cell = string | number | boolean | null;

/** A table built in memory: TIMESTAMP cells are epoch milliseconds. */
export interface Rows {
  readonly columns: Readonly<Record<string, ColumnType>>;
  readonly rows: readonly (readonly Cell[])[];
}

/** The default folder for generated data (gitignored): WINDOWPANE_DATA_DIR or .windowpane/datasets. */
export function dataDir(dir?: string): string {
  return resolve(dir ?? process.env.WINDOWPANE_DATA_DIR ?? join(stateDir(), 'datasets'));
}

/**
 * Returns the folder of data set `name` with these parameters, running `write` once to fill it.
 * `write` gets a DuckDB connection and the (temporary) folder to write into.
 */
export async function cachedDataset(name: string, params: unknown, dir: string | undefined, write: (conn: DuckDBConnection, folder: string) => Promise<void>): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ v: GENERATOR_VERSION, name, params })).digest('hex').slice(0, 12);
  const root = dataDir(dir);
  const folder = join(root, `${name}-${hash}`);
  if (existsSync(join(folder, 'done'))) return folder;
  const tmp = join(root, `.tmp-${name}-${randomUUID()}`);
  mkdirSync(tmp, { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await write(conn, tmp);
    writeFileSync(join(tmp, 'done'), JSON.stringify({ name, params }, null, 1));
    try {
      renameSync(tmp, folder);
    } catch (e) {
      // another run finished first: keep its folder
      if (!existsSync(join(folder, 'done'))) throw e;
    }
  } catch (cause) {
    throw new SourceError('dataset-write', messages.datasetWriteFailed(name, root, cause instanceof Error ? cause.message : String(cause)), { cause, context: { dataset: name } });
  } finally {
    conn.closeSync();
    db.closeSync();
    rmSync(tmp, { recursive: true, force: true });
  }
  return folder;
}

/** Loads in-memory rows into table `table` with DuckDB's appender (column-wise, no INSERTs). */
export async function loadRows(conn: DuckDBConnection, table: string, data: Rows): Promise<void> {
  const names = Object.keys(data.columns);
  await conn.run(`CREATE TABLE ${quote(table)} (${names.map((n) => `${quote(n)} ${data.columns[n]}`).join(', ')})`);
  const appender = await conn.createAppender(table);
  const types = names.map((n) => data.columns[n]!);
  for (const row of data.rows) {
    types.forEach((type, i) => {
      const v = row[i] ?? null;
      if (v === null) return appender.appendNull();
      switch (type) {
        case 'TIMESTAMP': return appender.appendTimestamp(timestampValue(BigInt(Math.round(Number(v))) * 1000n));
        case 'VARCHAR': return appender.appendVarchar(String(v));
        case 'DOUBLE': return appender.appendDouble(Number(v));
        case 'INTEGER': return appender.appendInteger(Number(v));
        case 'BOOLEAN': return appender.appendBoolean(Boolean(v));
        default: {
          const never: never = type;
          return never;
        }
      }
    });
    appender.endRow();
  }
  appender.closeSync();
}

/** Writes the result of `select` to a Parquet file. */
export async function copyToParquet(conn: DuckDBConnection, select: string, path: string): Promise<void> {
  await conn.run(`COPY (${select}) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`);
}

export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** ISO-8601 text of epoch ms, for SQL literals and file metadata. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
