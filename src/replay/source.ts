/**
 * The file side of a replay: DuckDB reads the file (Parquet, CSV, JSON/NDJSON, globs), finds the
 * event-time column, and streams rows in event-time order, each already encoded as a JSON value
 * with its key and event time. Timestamps become ISO-8601 UTC strings ("…T…Z"), the form the live
 * engine reads back as the same TIMESTAMP.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InternalError, SourceError } from '../errors.js';
import { messages } from '../messages.js';

export interface SourceColumn {
  readonly name: string;
  readonly type: string;
}

/** One row to send: `ms` is null when the event time is missing or unreadable (a bad row). */
export interface ReplayRow {
  readonly row: number;
  readonly ms: number | null;
  readonly key: string | null;
  readonly value: string;
}

export interface OpenedSource {
  readonly columns: readonly SourceColumn[];
  readonly timeColumn: string;
  readonly rowCount: number;
  /** The earliest and latest event time, epoch ms (undefined when no row has one). */
  readonly firstMs: number | undefined;
  readonly lastMs: number | undefined;
  /**
   * Rows with a bad event time first (so they are counted before anything is sent), then in
   * event-time order; with `shiftMs`, every event time (column and Kafka timestamp) moved that much later.
   */
  rows(shiftMs?: number): AsyncGenerator<ReplayRow[]>;
  close(): void;
}

const TIME_TYPE = /^(TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ|DATE)$/i;
const NUMBER_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/i;
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** VARCHAR results arrive as strings; anything else is a bug in the SQL above. */
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function relation(file: string): string {
  const ext = extname(file.replace(/\.(gz|zst)$/i, '')).toLowerCase();
  if (ext === '.parquet') return `read_parquet(${literal(file)})`;
  if (ext === '.csv' || ext === '.tsv') return `read_csv(${literal(file)})`;
  if (ext === '.json' || ext === '.ndjson' || ext === '.jsonl') return `read_json_auto(${literal(file)})`;
  return literal(file);
}

/** The event time as TIMESTAMP (UTC): time types as they are, text parsed, numbers as epoch milliseconds. */
function timeExpr(column: SourceColumn): string {
  const c = ident(column.name);
  if (TIME_TYPE.test(column.type)) return `CAST(${c} AS TIMESTAMP)`;
  if (NUMBER_TYPE.test(column.type)) return `TRY_CAST(make_timestamp(CAST(round(${c} * 1000) AS BIGINT)) AS TIMESTAMP)`;
  return `TRY_CAST(TRY_CAST(${c} AS TIMESTAMPTZ) AS TIMESTAMP)`;
}

function jsonField(column: SourceColumn): string {
  const c = ident(column.name);
  if (/^DATE$/i.test(column.type) || !TIME_TYPE.test(column.type)) return c;
  return `strftime(CAST(${c} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%fZ')`;
}

/** The event-time column of a shifted pass, from the shifted __wp_ts, in the column's own form. */
function shiftedTimeField(column: SourceColumn, shiftMs: number): string {
  if (/^DATE$/i.test(column.type)) return 'CAST(__wp_ts AS DATE)';
  if (NUMBER_TYPE.test(column.type)) return `${ident(column.name)} + ${shiftMs}`;
  return "strftime(__wp_ts, '%Y-%m-%dT%H:%M:%S.%fZ')";
}

/** A missing file, and where a relative path was looked for. */
const missing = (file: string) => messages.replayFileMissing(file) + messages.relativePathNote(file, process.cwd());

export async function openSource(file: string, options: { timeColumn?: string; keyColumn?: string } = {}): Promise<OpenedSource> {
  if (!/[*?[]/.test(file) && !/^[a-z]+:\/\//i.test(file) && !existsSync(file)) throw new SourceError('file-missing', missing(file), { context: { file } });
  const instance = await DuckDBInstance.create(':memory:');
  let conn: DuckDBConnection | undefined;
  try {
    conn = await instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    const from = relation(file);
    let columns: SourceColumn[];
    try {
      const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
      columns = described.getRowObjectsJS().map((r) => ({ name: text(r.column_name), type: text(r.column_type) }));
    } catch (cause) {
      const why = cause instanceof Error ? cause.message.split('\n')[0]! : String(cause);
      if (/no files found/i.test(why)) throw new SourceError('file-missing', missing(file), { cause, context: { file } });
      throw new SourceError('file-unreadable', messages.replayFileUnreadable(file, why), { cause, context: { file } });
    }
    const names = columns.map((c) => c.name).join(', ');
    const find = (what: string, name: string) => {
      const col = columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!col) throw new SourceError('unknown-column', messages.replayUnknownColumn(file, what, name, names), { context: { file, column: name } });
      return col;
    };
    const time = options.timeColumn !== undefined ? find('event-time', options.timeColumn) : columns.find((c) => TIME_TYPE.test(c.type));
    if (!time) throw new SourceError('no-time-column', messages.replayNoTimeColumn(file, names), { context: { file } });
    const key = options.keyColumn !== undefined ? find('key', options.keyColumn) : undefined;

    const sql = (shiftMs: number) => {
      const fields = columns.map((c) => `${ident(c.name)} := ${c === time && shiftMs !== 0 ? shiftedTimeField(c, shiftMs) : jsonField(c)}`).join(', ');
      return `
      WITH src AS (SELECT row_number() OVER () AS __wp_row, * FROM ${from}),
           t AS (SELECT *, ${timeExpr(time)}${shiftMs !== 0 ? ` + to_milliseconds(${shiftMs})` : ''} AS __wp_ts FROM src)
      SELECT __wp_row, epoch_ms(__wp_ts) AS __wp_ms, ${key ? `CAST(${ident(key.name)} AS VARCHAR)` : 'NULL'} AS __wp_key,
             CAST(to_json(struct_pack(${fields})) AS VARCHAR) AS __wp_value
      FROM t ORDER BY __wp_ts ASC NULLS FIRST, __wp_row`;
    };
    const count = await conn.runAndReadAll(`SELECT count(*), epoch_ms(min(${timeExpr(time)})), epoch_ms(max(${timeExpr(time)})) FROM ${from}`);
    const [n, first, last] = count.getRows()[0] ?? [];
    const rowCount = Number(n ?? 0);
    const c = conn;
    return {
      columns,
      timeColumn: time.name,
      rowCount,
      firstMs: first === null || first === undefined ? undefined : Number(first),
      lastMs: last === null || last === undefined ? undefined : Number(last),
      async *rows(shiftMs = 0) {
        if (!Number.isInteger(shiftMs)) throw new InternalError(`shiftMs must be whole milliseconds, got ${shiftMs}`);
        const result = await c.stream(sql(shiftMs));
        for await (const chunk of result.yieldRowsJs()) {
          yield chunk.map(([row, ms, k, value]) => ({ row: Number(row), ms: ms === null ? null : Number(ms), key: k === null ? null : text(k), value: text(value) }));
        }
      },
      close() {
        c.closeSync();
        instance.closeSync();
      },
    };
  } catch (e) {
    conn?.closeSync();
    instance.closeSync();
    throw e;
  }
}
