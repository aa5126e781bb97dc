/**
 * The fluent builder. Each step returns a new immutable builder holding a plan node; the type
 * parameter `C` carries the column names known so far, so editors complete them. Expressions are
 * DuckDB SQL text: `C | (string & {})` completes names but accepts any expression.
 */
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { planSource, type PlanNode } from '../plan/types.js';
import { sourceNode, type Source } from '../source/define.js';
import { run, type QueryRunOptions } from '../query/api.js';
import type { Query } from '../query/query.js';
import type { WindowDef } from './windows.js';
import { enrichNode, type EnrichOptions, type LookupInput } from '../join/lookup.js';
import { runPipeline } from '../pipeline/api.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { PipelineOptions } from '../run/options.js';

type Expr<C extends string> = C | (string & {});
type Columns<C extends string, N extends string> = Readonly<Record<N, Expr<C>>>;

abstract class Built {
  constructor(protected readonly node: PlanNode) {}
  /** The logical plan (plain data). */
  plan(): PlanNode {
    return this.node;
  }
}

/** A query that can run: it has a window and an aggregate. */
export class RunnableQuery<C extends string> extends Built {
  /** Keep result rows matching a predicate over output columns. */
  having(predicate: Expr<C>): RunnableQuery<C> {
    return new RunnableQuery({ kind: 'having', input: this.node, predicate });
  }
  orderBy(...by: Expr<C>[]): RunnableQuery<C> {
    return new RunnableQuery({ kind: 'order', input: this.node, by });
  }
  run(options?: QueryRunOptions): Promise<Query> {
    return run(this.node, options);
  }
}

export class GroupedQuery<C extends string, K extends string> extends Built {
  constructor(node: PlanNode, private readonly keys: Readonly<Record<string, string>>) {
    super(node);
  }
  /** Aggregates by output name, as DuckDB aggregate expressions: { n: 'count(*)', avg: 'avg(delay)' }. */
  aggregate<A extends string>(aggregates: Columns<C, A>): RunnableQuery<'window_start' | 'window_end' | K | A> {
    return new RunnableQuery({ kind: 'aggregate', input: this.node, keys: this.keys, aggregates });
  }
}

export class WindowedQuery<C extends string> extends Built {
  filter(predicate: Expr<C>): WindowedQuery<C> {
    return new WindowedQuery({ kind: 'filter', input: this.node, predicate });
  }
  /** Group keys: column names, or { name: 'expression' }. */
  groupBy<K extends C>(...keys: (K | Readonly<Record<string, Expr<C>>>)[]): GroupedQuery<C, K | string> {
    const named: Record<string, string> = {};
    for (const k of keys) {
      if (typeof k === 'string') named[k] = `"${k.replace(/"/g, '""')}"`;
      else Object.assign(named, k);
    }
    return new GroupedQuery(this.node, named);
  }
  aggregate<A extends string>(aggregates: Columns<C, A>): RunnableQuery<'window_start' | 'window_end' | A> {
    return new RunnableQuery({ kind: 'aggregate', input: this.node, keys: {}, aggregates });
  }
}

export class SourceQuery<C extends string> extends Built {
  filter(predicate: Expr<C>): SourceQuery<C> {
    return new SourceQuery({ kind: 'filter', input: this.node, predicate });
  }
  /** Adds computed columns: { hour: 'hour(ts)' }. */
  derive<N extends string>(columns: Columns<C, N>): SourceQuery<C | N> {
    return new SourceQuery({ kind: 'derive', input: this.node, columns });
  }
  /** Keeps only these columns (names, or { name: 'expression' }); keep the event-time column. */
  select<N extends C>(...columns: (N | Readonly<Record<string, Expr<C>>>)[]): SourceQuery<N | string> {
    const named: Record<string, string> = {};
    for (const c of columns) {
      if (typeof c === 'string') named[c] = `"${c.replace(/"/g, '""')}"`;
      else Object.assign(named, c);
    }
    return new SourceQuery({ kind: 'select', input: this.node, columns: named });
  }
  /** Runs this chain without a window as a stateless pipeline: records out, history then live. */
  run(options?: PipelineOptions): Promise<Pipeline> {
    return runPipeline(this.node, options);
  }
  /**
   * Adds the columns of the table row with the same key: a left join (no match: NULLs). The table is
   * a name in the query's DuckDB instance or a file ({ parquet }), read once as of the query's start.
   */
  enrich<const N extends string = string>(table: LookupInput, options: EnrichOptions<C, N>): SourceQuery<C | N> {
    return new SourceQuery(enrichNode(this.node, table, options));
  }
  window(window: WindowDef<C>): WindowedQuery<C | 'window_start' | 'window_end'> {
    const source = planSource(this.node);
    if (window.timeColumn !== source.time) {
      throw new QueryError('window-time-column', messages.windowTimeColumn(window.timeColumn, source.name, source.time), { context: { source: source.name } });
    }
    return new WindowedQuery({ kind: 'window', input: this.node, window });
  }
}

/** Starts a builder query over a source. */
export function from<C extends string>(source: Source<C>): SourceQuery<C> {
  return new SourceQuery<C>(sourceNode(source));
}
