/**
 * The event buffer's size, and its compaction. DuckDB keeps the blocks of deleted rows until a
 * table is rebuilt (DELETE, TRUNCATE and CHECKPOINT free nothing in a temp table), so without this
 * the buffer's memory (or spill file) would grow with every event ever buffered, although events
 * leave it once their windows are final. When the deleted rows outnumber the live ones (and are at
 * least `minDeleted`), the live rows are copied into a fresh table: each event is copied about once
 * more at most, and the buffer never holds more than about twice its live rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal } from '../exec/duck.js';

export const MIN_DELETED = 65_536;

export class EventBuffer {
  /** Live rows: events of windows that are not final yet. */
  size = 0;
  /** Rows the table holds including deleted ones, at the last check. */
  physical = 0;
  compactions = 0;

  constructor(
    private readonly conn: DuckDBConnection,
    readonly table: string,
    private readonly minDeleted = MIN_DELETED,
  ) {}

  /** Reads the live and physical row counts; compacts when the deleted rows dominate. */
  async check(): Promise<void> {
    const r = await this.conn.runAndReadAll(
      `SELECT (SELECT count(*) FROM ${this.table}), (SELECT estimated_size FROM duckdb_tables() WHERE database_name = 'temp' AND table_name = ${literal(this.table)})`,
    );
    const [live, physical] = r.getRows()[0] ?? [0, 0];
    this.size = Number(live ?? 0);
    this.physical = Number(physical ?? 0);
    const deleted = this.physical - this.size;
    if (deleted > 0 && (this.size === 0 || deleted >= Math.max(this.minDeleted, this.size))) await this.compact();
  }

  private async compact(): Promise<void> {
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.table} AS SELECT * FROM ${this.table}`);
    this.physical = this.size;
    this.compactions++;
  }
}
