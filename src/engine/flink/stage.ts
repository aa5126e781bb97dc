/**
 * History and enrichment tables, written by DuckDB as Parquet files the Flink JVMs read. Every
 * history kind (Parquet, CSV, JSON, a table, a query) goes through the same DuckDB relation the local
 * engine reads, so both engines see the same rows with the same types; history is written sorted by
 * event time, so Flink's watermark can follow it without making any of it late. The folder is the
 * run's own under WINDOWPANE_FLINK_STAGE_DIR (default .windowpane/flink/stage): for a cluster on
 * another machine, a folder both can read.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { FlinkError } from '../../errors.js';
import { messages } from '../../messages.js';
import { stateDir } from '../../util/paths.js';
import { ident, literal } from '../exec/duck.js';
import type { FlinkColumn } from './types.js';

export class Stage {
  readonly dir: string;

  constructor(root = process.env.WINDOWPANE_FLINK_STAGE_DIR ?? join(stateDir(), 'flink', 'stage')) {
    this.dir = resolve(root, `run-${randomUUID().slice(0, 8)}`);
  }

  /** A folder for one table (Flink's filesystem source reads every file in it). */
  private folder(name: string): string {
    const dir = join(this.dir, name);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new FlinkError('flink-stage', messages.flinkStageDir(this.dir, (e as Error).message), { cause: e });
    }
    return dir;
  }

  /**
   * Writes a history relation sorted by event time. Returns the folder and how far the history's own
   * watermark must lag behind its latest event beyond the bound: per-partition history (an archive
   * of the topic) ends with the watermark of its slowest partition, as on the local engine.
   */
  async history(conn: DuckDBConnection, name: string, relation: string, columns: readonly FlinkColumn[], time: string): Promise<{ dir: string; lagMs: number }> {
    const dir = this.folder(name);
    const t = ident(time);
    await conn.run(`COPY (SELECT ${columns.map((c) => `${c.stage} AS ${ident(c.name)}`).join(', ')} FROM ${relation} WHERE ${t} IS NOT NULL ORDER BY ${t}) TO ${literal(join(dir, 'part-0.parquet'))} (FORMAT parquet)`);
    const r = await conn.runAndReadAll(
      `SELECT epoch_ms(max(m)), epoch_ms(max(m) FILTER (WHERE p IS NULL)), epoch_ms(min(m) FILTER (WHERE p IS NOT NULL))
         FROM (SELECT _partition AS p, max(CAST(${t} AS TIMESTAMP)) AS m FROM ${relation} WHERE ${t} IS NOT NULL GROUP BY 1)`,
    );
    const [latest, unpartitioned, slowest] = (r.getRows()[0] ?? []).map((v) => (v === null || v === undefined ? undefined : Number(v)));
    const ends = [unpartitioned, slowest].filter((v): v is number => v !== undefined);
    return { dir, lagMs: latest === undefined || ends.length === 0 ? 0 : latest - Math.max(...ends) };
  }

  /** Writes an enrichment table (rows with a NULL key never match, as in the local left join). */
  async table(conn: DuckDBConnection, name: string, relation: string, columns: readonly FlinkColumn[], keys: readonly string[]): Promise<string> {
    const dir = this.folder(name);
    await conn.run(`COPY (SELECT ${columns.map((c) => `${c.stage} AS ${ident(c.name)}`).join(', ')} FROM ${relation} WHERE ${keys.map((k) => `${ident(k)} IS NOT NULL`).join(' AND ')}) TO ${literal(join(dir, 'part-0.parquet'))} (FORMAT parquet)`);
    return dir;
  }

  /** Removes the run's files (after its job has ended), and the savepoint a drain wrote into the folder. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
