/**
 * One micro-batch of Kafka records through a pipeline: staged column-wise, typed by the same SQL as a
 * windowed query's (bad records go to the dead-letter table with their reason), then the pipeline's
 * SQL over the good ones. Results convert column-wise to records.
 */
import { JSDuckDBValueConverter, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
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

export function readerRecords(reader: DuckDBResultReader): PipelineRecord[] {
  return toRecords(reader.columnNames(), reader.convertColumns(JSDuckDBValueConverter));
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

  /** Types the records and runs the pipeline over the good ones. */
  async run(records: RecordBatch): Promise<{ records: PipelineRecord[]; good: number; dead: number; overlap: number }> {
    this.stage.append(records);
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${BATCH} AS ${typedRecordsSql(this.live, this.columns, this.time, T.stage)}`);
    await this.stage.clear();
    const dead = Number((await this.conn.run(`INSERT INTO ${T.dead} SELECT _partition, _offset, _timestamp, _key, _value, __reason FROM ${BATCH} WHERE __reason IS NOT NULL`)).rowsChanged);
    const overlap = this.overlapSql ? Number((await this.conn.runAndReadAll(this.overlapSql)).getRows()[0]?.[0] ?? 0) : 0;
    const out = readerRecords(await this.conn.runAndReadAll(this.sql));
    return { records: out, good: records.length - dead - overlap, dead, overlap };
  }

  close(): void {
    this.stage.close();
  }
}
