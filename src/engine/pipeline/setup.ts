/**
 * Pipeline setup before any data moves: the DuckDB connection, the source's columns (shared with
 * windowed queries), the SQL of both phases, checked by DuckDB, and the output columns with types.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import { ident } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';
import { renderPlan } from '../exec/render.js';
import { createTables, T } from '../exec/tables.js';
import type { PlanNode } from '../plan/types.js';
import { explainDuckError, openConnection, sourceColumns, type SourceSetup } from '../run/setup.js';
import { KAFKA_COLUMNS, type SourceSpec } from '../source/types.js';
import { selectsColumns } from './compile.js';

/** A pipeline's set-up: its source, output columns and SQL. */
export interface PipelineSetup extends SourceSetup {
  /** The output columns, with DuckDB types. */
  readonly output: readonly Column[];
  /** SQL of the pipeline over `relation`. */
  readonly render: (relation: string) => string;
}

/** The pipeline's SQL over a relation; without a select, the Kafka metadata columns stay hidden. */
function renderer(plan: PlanNode): (relation: string) => string {
  const hide = selectsColumns(plan) ? undefined : Object.keys(KAFKA_COLUMNS).map(ident).join(', ');
  return (relation) => {
    const sql = renderPlan(plan, { relation });
    return hide ? `SELECT * EXCLUDE (${hide}) FROM (${sql})` : sql;
  };
}

export async function setupPipeline(plan: PlanNode, source: SourceSpec, instance: DuckDBInstance | undefined): Promise<PipelineSetup> {
  const { conn, owned } = await openConnection(instance);
  try {
    const { columns, historyRelation, historyColumns } = await sourceColumns(conn, source);
    await createTables(conn, columns);
    const render = renderer(plan);
    // checked by DuckDB against the (empty) event table of the same columns
    const probe = render(T.events);
    let output: Column[];
    try {
      const r = await conn.runAndReadAll(`DESCRIBE ${probe}`);
      output = r.getRows().map((row) => ({ name: String(row[0]), type: String(row[1]) }));
    } catch (e) {
      throw explainDuckError(e, plan.kind === 'statement' ? plan.original : probe);
    }
    return { conn, ownsInstance: owned, columns, historyRelation, historyColumns, output, render };
  } catch (e) {
    conn.closeSync();
    owned?.closeSync();
    throw e;
  }
}
