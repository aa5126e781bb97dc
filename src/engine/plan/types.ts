/**
 * The logical plan: plain data, a chain of nodes tagged by `kind`. Both front ends (SQL and the
 * builder) compile to it; executors are functions over it. The plan knows nothing of DuckDB or Kafka:
 * expressions are SQL text in DuckDB's dialect, kept as written.
 */
import type { HistorySpec, SourceSpec } from '../source/types.js';
import { assertNever } from './never.js';
import { windowColumns, type WindowSpec } from './window.js';

export { assertNever } from './never.js';
export { describeWindow, type GridWindow, type SessionWindow, type WindowKind, type WindowSpec } from './window.js';

export type PlanNode =
  | { readonly kind: 'scan'; readonly source: SourceSpec }
  | IntervalJoinNode
  | { readonly kind: 'filter'; readonly input: PlanNode; readonly predicate: string }
  | { readonly kind: 'derive'; readonly input: PlanNode; readonly columns: Readonly<Record<string, string>> }
  /** Stream–table enrichment (left join on `on`); `snapshot` names the table's copy taken at start. */
  | { readonly kind: 'enrich'; readonly input: PlanNode; readonly table: LookupTable; readonly on: readonly string[]; readonly columns: Readonly<Record<string, string>>; readonly snapshot: string }
  | { readonly kind: 'select'; readonly input: PlanNode; readonly columns: Readonly<Record<string, string>> }
  | { readonly kind: 'window'; readonly input: PlanNode; readonly window: WindowSpec }
  | { readonly kind: 'aggregate'; readonly input: PlanNode; readonly keys: Readonly<Record<string, string>>; readonly aggregates: Readonly<Record<string, string>> }
  | { readonly kind: 'having'; readonly input: PlanNode; readonly predicate: string }
  | { readonly kind: 'order'; readonly input: PlanNode; readonly by: readonly string[] }
  /**
   * A statement from the SQL front end: the user's SQL with the window call replaced by the
   * relation `relation`; `input` is the windowed source. Keys and aggregates are read from DuckDB.
   */
  | { readonly kind: 'statement'; readonly input: PlanNode; readonly relation: string; readonly sql: string; readonly original: string };

export type PlanKind = PlanNode['kind'];

/** Where an enrichment table comes from. */
export type LookupTable = Exclude<HistorySpec, { kind: 'kafkaBacklog' }>;

/** How the two inputs of an interval join match: equal columns of the same name, or a SQL condition over `a` and `b`. */
export type JoinCondition =
  | { readonly kind: 'keys'; readonly keys: readonly string[] }
  | { readonly kind: 'sql'; readonly sql: string };

/**
 * An interval join of two streams on event time, a leaf of the chain like scan: each input is a
 * chain of scan → filter/derive/select over one source; a row of `left` (a) matches rows of `right`
 * (b) when the condition holds and b.time BETWEEN a.time + lowerMs AND a.time + upperMs. `source`
 * is the joined stream the nodes above read: its name, event time (a's), watermark bounds, and its
 * schema once known.
 */
export interface IntervalJoinNode {
  readonly kind: 'intervalJoin';
  readonly source: SourceSpec;
  readonly left: PlanNode;
  readonly right: PlanNode;
  readonly on: JoinCondition;
  readonly lowerMs: number;
  readonly upperMs: number;
  /** Prefix for right columns whose names the left side already uses (default: right source name + '_'). */
  readonly rightPrefix: string;
}

/** The nodes a chain starts from: they read a stream, not another node. */
export type LeafNode = Extract<PlanNode, { readonly kind: 'scan' | 'intervalJoin' }>;

export function isLeaf(node: PlanNode): node is LeafNode {
  return node.kind === 'scan' || node.kind === 'intervalJoin';
}

/** The leaf at the bottom of the chain. */
export function planLeaf(plan: PlanNode): LeafNode {
  let node: PlanNode = plan;
  while (!isLeaf(node)) node = node.input;
  return node;
}

/** The stream the chain reads: its scan's source, or the joined stream of its interval join. */
export function planSource(plan: PlanNode): SourceSpec {
  return planLeaf(plan).source;
}

/** The interval join the chain reads, if it reads one. */
export function planJoin(plan: PlanNode): IntervalJoinNode | undefined {
  const leaf = planLeaf(plan);
  return leaf.kind === 'intervalJoin' ? leaf : undefined;
}

/** The window node of the chain (every query in part 1 has exactly one). */
export function planWindow(plan: PlanNode): WindowSpec | undefined {
  let node: PlanNode = plan;
  while (!isLeaf(node)) {
    if (node.kind === 'window') return node.window;
    node = node.input;
  }
  return undefined;
}

/** What a node reads from its input: column names or SQL expressions over them. */
export function dependentFields(node: PlanNode): readonly string[] {
  switch (node.kind) {
    case 'scan': case 'intervalJoin': return [];
    case 'filter': return [node.predicate];
    case 'derive': return Object.values(node.columns);
    case 'select': return Object.values(node.columns);
    case 'window': return windowColumns(node.window);
    case 'aggregate': return [...Object.values(node.keys), ...Object.values(node.aggregates)];
    case 'having': return [node.predicate];
    case 'order': return node.by;
    case 'statement': return [node.sql];
    case 'enrich': return node.on;
    default: return assertNever(node);
  }
}

/** What a node adds to (or, for select/aggregate, makes of) its output: column names. */
export function producedFields(node: PlanNode): readonly string[] {
  switch (node.kind) {
    case 'scan': case 'intervalJoin': return Object.keys(node.source.schema ?? {});
    case 'filter': case 'having': case 'order': case 'statement': return [];
    case 'enrich': return Object.keys(node.columns);
    case 'derive': case 'select': return Object.keys(node.columns);
    case 'window': return ['window_start', 'window_end'];
    case 'aggregate': return ['window_start', 'window_end', ...Object.keys(node.keys), ...Object.keys(node.aggregates)];
    default: return assertNever(node);
  }
}

/** The chain from the scan upwards, for explain(). */
export function planChain(plan: PlanNode): PlanNode[] {
  const chain: PlanNode[] = [];
  let node: PlanNode = plan;
  for (;;) {
    chain.unshift(node);
    if (isLeaf(node)) return chain;
    node = node.input;
  }
}
