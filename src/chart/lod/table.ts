/**
 * A big chart's points in DuckDB, and the level-of-detail query over them (plan.ts). The table holds
 * what the query needs of each row (key, x, y, series) and follows the chart's model by key: each
 * refresh deletes the keys that changed and appends their new rows in data chunks. One in-memory
 * DuckDB instance serves every chart of the process.
 */
import { DOUBLE, DuckDBDataChunk, DuckDBInstance, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { ChartTuple } from '../changelog.js';
import type { LodPlan } from './plan.js';

export type Reducing = Exclude<LodPlan, { kind: 'none' }>;

const CHUNK = 2048;
const TYPES = [VARCHAR, DOUBLE, DOUBLE, VARCHAR];

let instance: Promise<DuckDBInstance> | undefined;
let tables = 0;

/** A row's x or y as a number (numbers, and the epoch ms charts hold for times); anything else is not drawn. */
const numeric = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export class LodTable {
  private deleted = 0;
  private rows = 0;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly plan: Reducing,
    private readonly name: string,
    private readonly keys: string,
    private appenders: { points: DuckDBAppender; keys: DuckDBAppender },
  ) {}

  static async create(plan: Reducing): Promise<LodTable> {
    instance ??= DuckDBInstance.create(':memory:');
    const conn = await (await instance).connect();
    const id = ++tables;
    const name = `lod_points_${id}`;
    const keys = `lod_keys_${id}`;
    await conn.run(`CREATE TABLE ${name} (key VARCHAR, x DOUBLE, y DOUBLE, s VARCHAR); CREATE TABLE ${keys} (key VARCHAR)`);
    const appenders = { points: await conn.createAppender(name), keys: await conn.createAppender(keys) };
    return new LodTable(conn, plan, name, keys, appenders);
  }

  /** Applies changed rows (null: removed) by key. */
  async apply(changes: ReadonlyMap<string, ChartTuple | null>): Promise<void> {
    if (changes.size === 0) return;
    const keys = [...changes.keys()];
    if (this.rows > 0) {
      this.append(this.appenders.keys, keys.map((k) => [k]), [VARCHAR]);
      await this.conn.run(`DELETE FROM ${this.name} WHERE key IN (SELECT key FROM ${this.keys}); DELETE FROM ${this.keys}`);
      this.deleted += keys.length;
    }
    const points: [string, number, number, string][] = [];
    for (const [key, t] of changes) {
      const x = t ? numeric(t[this.plan.x]) : undefined;
      const y = t ? numeric(t[this.plan.y]) : undefined;
      if (t && x !== undefined && y !== undefined) points.push([key, x, y, JSON.stringify(this.plan.series.map((f) => t[f] ?? null))]);
    }
    this.append(this.appenders.points, points, TYPES);
    this.rows += points.length;
    // DuckDB keeps the blocks of deleted rows until a table is rebuilt
    if (this.deleted > Math.max(this.rows, 10_000)) await this.rebuild();
  }

  /** The keys of the rows to draw, by the plan, for at most `budget` rows. */
  async select(budget: number): Promise<Set<string>> {
    const r = await this.conn.runAndReadAll(selectSql(this.plan, this.name, budget));
    return new Set(r.getRows().map(([k]) => String(k)));
  }

  close(): void {
    this.appenders.points.closeSync();
    this.appenders.keys.closeSync();
    this.conn.closeSync();
  }

  private append(appender: DuckDBAppender, rows: readonly unknown[][], types: typeof TYPES): void {
    for (let from = 0; from < rows.length; from += CHUNK) {
      const size = Math.min(CHUNK, rows.length - from);
      const chunk = DuckDBDataChunk.create(types, size);
      const vectors = types.map((_t, i) => chunk.getColumnVector(i));
      for (let i = 0; i < size; i++) {
        const row = rows[from + i]!;
        vectors.forEach((v, c) => v.setItem(i, row[c] as never));
      }
      for (const v of vectors) v.flush();
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  }

  private async rebuild(): Promise<void> {
    this.appenders.points.closeSync();
    await this.conn.run(`CREATE OR REPLACE TABLE ${this.name} AS SELECT * FROM ${this.name}`);
    this.appenders.points = await this.conn.createAppender(this.name);
    this.deleted = 0;
    this.rows = Number((await this.conn.runAndReadAll(`SELECT count(*) FROM ${this.name}`)).getRows()[0]?.[0] ?? 0);
  }
}

/**
 * The keys to draw. x (and y) are cut into bins over the data's extent; 'm4' keeps per series and
 * x bin the rows at min and max y and at first and last x, with fewer bins when the series would
 * exceed the budget; 'grid' keeps the latest row per series and cell.
 */
export function selectSql(plan: Reducing, table: string, budget: number): string {
  const bin = (v: string, lo: string, hi: string, n: string) => `least(floor((${v} - ${lo}) / greatest(${hi} - ${lo}, 1e-300) * ${n}), ${n} - 1)`;
  const extent = `e AS (SELECT min(x) AS x0, max(x) AS x1, min(y) AS y0, max(y) AS y1, count(DISTINCT s) AS ns FROM ${table})`;
  switch (plan.kind) {
    case 'm4': {
      const n = `greatest(1, least(${plan.bins}, floor(${budget} / (4 * ns))))`;
      return `WITH ${extent}, b AS (SELECT key, x, y, s, ${bin('x', 'x0', 'x1', n)} AS bx FROM ${table}, e)
        SELECT DISTINCT unnest(k) FROM (SELECT [arg_min(key, y), arg_max(key, y), arg_min(key, x), arg_max(key, x)] AS k FROM b GROUP BY s, bx)`;
    }
    case 'grid': {
      const scale = `sqrt(least(1, ${budget} / (${plan.xBins * plan.yBins} * ns)))`;
      const nx = `greatest(1, floor(${plan.xBins} * ${scale}))`;
      const ny = `greatest(1, floor(${plan.yBins} * ${scale}))`;
      return `WITH ${extent}, b AS (SELECT key, x, s, ${bin('x', 'x0', 'x1', nx)} AS cx, ${bin('y', 'y0', 'y1', ny)} AS cy FROM ${table}, e)
        SELECT arg_max(key, x) FROM b GROUP BY s, cx, cy`;
    }
  }
}
