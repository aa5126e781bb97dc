/**
 * The interval join's plan node and condition under the join module's names. They are defined with
 * the plan (plan/types.ts), which must not import the join module.
 */
export type { IntervalJoinNode as IntervalJoinSpec, JoinCondition } from '../plan/types.js';
