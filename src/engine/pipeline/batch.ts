/**
 * Kafka records through a pipeline: staged column-wise (a live micro-batch, or a backlog gathered
 * into runs of BACKLOG_TYPING_ROWS), typed by the same SQL as a windowed query's (bad records go to
 * the dead-letter table with their reason), then the pipeline's SQL over the good ones. Results
 * convert column-wise to records and go on in chunks.
 */
import { JSDuckDBValueConverter, type DuckDBConnection } from '@duckdb/node-api';
import { BACKLOG_TYPING_ROWS } from '../exec/engineBase.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { ident, jsToScalar } from '../exec/duck.js';
import { typedRecordsSql, type Column } from '../exec/recordSql.js';
import { Stage } from '../exec/stage.js';
import { T } from '../exec/tables.js';
import type { LiveSpec } from '../source/types.js';
import type { PipelineRecord } from './hub.js';

const BATCH = 'wp_pipeline_batch';

/** Records from column-major values. */
export function toRecords(names: readonly string[], columns: readonly (readonly unknown[])[]): PipelineRecord[] {
  const n = columns[0]?.length ?? 0;
  const cols = columns.map((c) => c.map(jsToScalar));
  const out: PipelineRecord[] = new Array<PipelineRecord>(n);
  for (let i = 0; i < n; i++) {
    const r: PipelineRecord = {};
    for (let j = 0; j < names.length; j++) r[names[j]!] = cols[j]![i] ?? null;
    out[i] = r;
  }
  return out;
}

/** Records handed over at once, at most, by streamRecords. */
export const RECORDS_PER_EMIT = 10_000;

/** A query's rows streamed to `emit` as records, RECORDS_PER_EMIT at a time: never the whole result at once. */
export async function streamRecords(conn: DuckDBConnection, sql: string, emit: (records: PipelineRecord[]) => Promise<void>): Promise<void> {
  const result = await conn.stream(sql);
  const names = result.columnNames();
  let pending: PipelineRecord[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const r of toRecords(names, chunk.convertColumns(JSDuckDBValueConverter))) pending.push(r);
    if (pending.length >= RECORDS_PER_EMIT) {
      await emit(pending);
      pending = [];
    }
  }
  if (pending.length > 0) await emit(pending);
}

export class PipelineBatches {
  private readonly stage: Stage;
  private readonly sql: string;
  private readonly overlapSql: string | undefined;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly live: LiveSpec,
    private readonly columns: readonly Column[],
    private readonly time: string,
    render: (relation: string) => string,
    boundaryUs?: number,
  ) {
    this.stage = new Stage(conn, T.stage);
    const after = boundaryUs === undefined ? undefined : `epoch_us(CAST(${ident(time)} AS TIMESTAMP)) > ${boundaryUs}`;
    this.sql = render(`(SELECT ${columns.map((c) => ident(c.name)).join(', ')} FROM ${BATCH} WHERE __reason IS NULL${after ? ` AND ${after}` : ''})`);
    this.overlapSql = after && `SELECT count(*) FROM ${BATCH} WHERE __reason IS NULL AND NOT (${after})`;
  }

  init(): Promise<void> {
    return this.stage.create();
  }

  /** Records staged and not run yet. */
  staged = 0;

  /** Stages a batch for the next run; whether enough backlog is staged to run it (BACKLOG_TYPING_ROWS). */
  add(records: RecordBatch): boolean {
    this.stage.append(records);
    this.staged += records.length;
    return this.staged >= BACKLOG_TYPING_ROWS;
  }

  /** Types the staged records and runs the pipeline over the good ones; the results go to `emit` in chunks. */
  async run(emit: (records: PipelineRecord[]) => Promise<void>): Promise<{ good: number; dead: number; overlap: number }> {
    const staged = this.staged;
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${BATCH} AS ${typedRecordsSql(this.live, this.columns, this.time, T.stage)}`);
    await this.stage.clear();
    this.staged = 0;
    const dead = Number((await this.conn.run(`INSERT INTO ${T.dead} SELECT _partition, _offset, _timestamp, _key, _value, __reason FROM ${BATCH} WHERE __reason IS NOT NULL`)).rowsChanged);
    const overlap = this.overlapSql ? Number((await this.conn.runAndReadAll(this.overlapSql)).getRows()[0]?.[0] ?? 0) : 0;
    await streamRecords(this.conn, this.sql, emit);
    return { good: staged - dead - overlap, dead, overlap };
  }

  close(): void {
    this.stage.close();
  }
}
