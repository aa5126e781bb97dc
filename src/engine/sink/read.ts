/**
 * Reading back what a table or Parquet sink wrote, with SQL: the table in its DuckDB instance, the
 * parts through read_parquet in a fresh in-memory one. The default SQL reads everything.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { ConfigError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { Scalar } from '../changelog/types.js';
import { literal, readRecords } from '../exec/duck.js';
import { assertNever } from '../plan/types.js';
import { tableName } from './tableWriter.js';
import type { SinkSpec } from './types.js';

export type SinkReader = (sql?: string) => Promise<Record<string, Scalar>[]>;

async function query(instance: DuckDBInstance, sql: string): Promise<Record<string, Scalar>[]> {
  const conn = await instance.connect();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    return await readRecords(conn, sql);
  } finally {
    conn.closeSync();
  }
}

export function sinkReader(spec: SinkSpec, instance: DuckDBInstance | undefined): SinkReader {
  switch (spec.kind) {
    case 'table':
      return (sql) => query(instance!, sql ?? `SELECT * FROM ${tableName(spec.table)}`);
    case 'parquet':
      return async (sql) => {
        const db = await DuckDBInstance.create(':memory:');
        try {
          const conn = await db.connect();
          // the parts as a view named "parts", so custom SQL can say FROM parts
          await conn.run(`CREATE VIEW parts AS SELECT * FROM read_parquet(${literal(`${spec.dir}/part-*.parquet`)})`);
          conn.closeSync();
          return await query(db, sql ?? 'SELECT * FROM parts');
        } finally {
          db.closeSync();
        }
      };
    case 'kafka':
      return () => Promise.reject(new ConfigError('sink-not-readable', messages.sinkNotReadable(spec.topic)));
    default:
      return assertNever(spec);
  }
}
