/**
 * An interval join of two streams on event time, as plain data: each input is a chain of
 * scan → filter/derive/select nodes over one source; a row of `left` (a) matches rows of `right` (b)
 * when the condition holds and b.time BETWEEN a.time + lower AND a.time + upper. The joined stream's
 * event time is a's.
 */
import type { PlanNode } from '../plan/types.js';

/** How the two inputs match: equal columns of the same name, or a SQL condition over `a` and `b`. */
export type JoinCondition =
  | { readonly kind: 'keys'; readonly keys: readonly string[] }
  | { readonly kind: 'sql'; readonly sql: string };

export interface IntervalJoinSpec {
  readonly left: PlanNode;
  readonly right: PlanNode;
  readonly on: JoinCondition;
  readonly lowerMs: number;
  readonly upperMs: number;
  /** Prefix for right columns whose names the left side already uses (default: right source name + '_'). */
  readonly rightPrefix: string;
}
