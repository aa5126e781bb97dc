/**
 * The join's state in DuckDB: each input's buffer of rows that can still match, the history join,
 * the join of one input's micro-batch with the other's buffer, and pruning. A pair is made exactly
 * once: when the later of its two rows arrives, while the earlier one is still buffered.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { JoinSide } from './side.js';
import { joinSql, pruneLeftSql, pruneRightSql, type JoinShape } from './sql.js';
import type { IntervalJoinNode } from '../plan/types.js';

export class JoinBuffers {
  constructor(
    private readonly conn: DuckDBConnection,
    private readonly join: IntervalJoinNode,
    private readonly shape: JoinShape,
    private readonly a: JoinSide,
    private readonly b: JoinSide,
  ) {}

  /** The joined stream's columns and types (an invalid condition is reported here). */
  async schema(): Promise<Record<string, string>> {
    try {
      const joined = await this.conn.runAndReadAll(`DESCRIBE ${joinSql(this.shape, this.a.t.buf, this.b.t.buf)}`);
      return Object.fromEntries(joined.getRows().map((r) => [String(r[0]), String(r[1])]));
    } catch (e) {
      const on = this.join.on.kind === 'sql' ? this.join.on.sql : this.join.on.keys.join(', ');
      throw new QueryError('join-on', messages.joinConditionInvalid(on, (e instanceof Error ? e.message : String(e)).split('\n')[0]!), { cause: e });
    }
  }

  /** Both inputs' histories (all in their buffers) joined into table `out`. */
  async joinHistory(out: string): Promise<void> {
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${out} AS ${joinSql(this.shape, this.a.t.buf, this.b.t.buf)}`);
  }

  /** `side`'s micro-batch (its delta table) with the other input's buffer into `out`; then the batch joins its buffer. */
  async joinDelta(side: JoinSide, out: string): Promise<void> {
    const { a, b } = this;
    const sql = side === a ? joinSql(this.shape, a.t.delta, b.t.buf) : joinSql(this.shape, a.t.buf, b.t.delta);
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${out} AS ${sql}`);
    await this.conn.run(`INSERT INTO ${side.t.buf} SELECT * FROM ${side.t.delta}`);
  }

  /**
   * Drops buffered rows no future row of the other input can match. The buffers are rebuilt, not
   * DELETEd from: DuckDB keeps deleted rows' blocks until a table is rebuilt.
   */
  async prune(): Promise<void> {
    const { a, b } = this;
    const left = pruneLeftSql(this.join, a.t.buf, a.time, b.wm.valueUs);
    const right = pruneRightSql(this.join, b.t.buf, b.time, a.wm.valueUs);
    if (left) await this.conn.run(left);
    if (right) await this.conn.run(right);
  }
}
