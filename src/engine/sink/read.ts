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
import { explainDuckError } from '../run/setup.js';
import { tableName } from './tableWriter.js';
import type { SinkSpec } from './types.js';

export type SinkReader = (sql?: string) => Promise<Record<string, Scalar>[]>;

/** Runs the reading SQL; DuckDB's refusal (bad SQL, a closed instance) is a QueryError quoting it. */
async function query(instance: DuckDBInstance, sql: string): Promise<Record<string, Scalar>[]> {
  try {
    const conn = await instance.connect();
    try {
      await conn.run(`SET TimeZone = 'UTC'`);
      return await readRecords(conn, sql);
    } finally {
      conn.closeSync();
    }
  } catch (e) {
    throw explainDuckError(e, sql);
  }
}

export function sinkReader(spec: SinkSpec, instance: DuckDBInstance | undefined): SinkReader {
  switch (spec.kind) {
    case 'table':
      return (sql) => query(instance!, sql ?? `SELECT * FROM ${tableName(spec.table)}`);
    case 'parquet':
      return async (sql) => {
        const db = await DuckDBInstance.create(':memory:');
        const view = `CREATE VIEW parts AS SELECT * FROM read_parquet(${literal(`${spec.dir}/part-*.parquet`)})`;
        try {
          // the parts as a view named "parts", so custom SQL can say FROM parts
          const conn = await db.connect();
          await conn.run(view).finally(() => conn.closeSync());
        } catch (e) {
          db.closeSync();
          throw explainDuckError(e, view);
        }
        try {
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
