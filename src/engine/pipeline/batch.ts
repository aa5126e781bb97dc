/**
 * Kafka records through a pipeline: staged column-wise (a live micro-batch, or a backlog gathered
 * into runs of BACKLOG_TYPING_ROWS), typed by the same SQL as a windowed query's (bad records go to
 * the dead-letter table with their reason), then the pipeline's SQL over the good ones. Results go on
 * in chunks, column-wise into records, and into Kafka messages rendered by DuckDB where a Kafka sink
 * wants them (output.ts).
 */
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { BACKLOG_TYPING_ROWS } from '../exec/engineBase.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { ident } from '../exec/duck.js';
import { typedRecordsSql, type Column } from '../exec/recordSql.js';
import { Stage } from '../exec/stage.js';
import { T } from '../exec/tables.js';
import type { LiveSpec } from '../source/types.js';
import { messagesSql } from './jsonSql.js';
import { outputOf, type MessageWant, type OutputBatch, type OutputWant, type RenderedColumns } from './output.js';

const BATCH = 'wp_pipeline_batch';

/** Records handed over at once, at most, by streamOutput. */
export const RECORDS_PER_EMIT = 10_000;

/** Where a pipeline's query results go: its output columns (and time column, when output), its consumers' wants, the hub. */
export interface OutputTarget {
  readonly columns: readonly Column[];
  readonly time: string | undefined;
  wants(): readonly OutputWant[];
  emit(batch: OutputBatch): Promise<void>;
}

/** The query with the messages its consumers want now, where DuckDB renders them (jsonSql.ts). */
function renderedSql(sql: string, target: OutputTarget): { sql: string; rendered: RenderedColumns | undefined } {
  const wants = target.wants().filter((w): w is MessageWant => w.kind === 'messages');
  const stamped = wants.some((w) => w.time !== undefined) ? target.time : undefined;
  return messagesSql(sql, target.columns, [...new Set(wants.map((w) => w.key))], stamped) ?? { sql, rendered: undefined };
}

/** A query's rows streamed to the target, RECORDS_PER_EMIT at a time: never the whole result at once. */
export async function streamOutput(conn: DuckDBConnection, sql: string, target: OutputTarget, phase: OutputBatch['phase']): Promise<void> {
  const query = renderedSql(sql, target);
  const result = await conn.stream(query.sql);
  const names = result.columnNames().slice(0, query.rendered ? target.columns.length : undefined);
  let pending: DuckDBDataChunk[] = [];
  let rows = 0;
  const emit = async (): Promise<void> => {
    const batch = outputOf(pending, query.rendered, target.wants(), phase, names);
    pending = [];
    rows = 0;
    await target.emit(batch);
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    pending.push(chunk);
    rows += chunk.rowCount;
    if (rows >= RECORDS_PER_EMIT) await emit();
  }
  if (rows > 0) await emit();
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

  /** Types the staged records and runs the pipeline over the good ones; the results go to the target in chunks. */
  async run(target: OutputTarget, phase: OutputBatch['phase']): Promise<{ good: number; dead: number; overlap: number }> {
    const staged = this.staged;
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${BATCH} AS ${typedRecordsSql(this.live, this.columns, this.time, this.stage.round())}`);
    await this.stage.clear();
    this.staged = 0;
    const dead = Number((await this.conn.run(`INSERT INTO ${T.dead} SELECT _partition, _offset, _timestamp, _key, _value, __reason FROM ${BATCH} WHERE __reason IS NOT NULL`)).rowsChanged);
    const overlap = this.overlapSql ? Number((await this.conn.runAndReadAll(this.overlapSql)).getRows()[0]?.[0] ?? 0) : 0;
    await streamOutput(this.conn, this.sql, target, phase);
    return { good: staged - dead - overlap, dead, overlap };
  }

  close(): void {
    this.stage.close();
  }
}
