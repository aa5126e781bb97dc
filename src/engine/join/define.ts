/** intervalJoin(a, b, { on, lower, upper }): the front end of the interval join, validated here. */
import { ConfigError, QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import { parseDuration, type DurationInput } from '../duration.js';
import { isLeaf, planSource, type IntervalJoinNode, type JoinCondition, type PlanNode } from '../plan/types.js';
import { sourceNode, type Source } from '../source/define.js';

/** A join input: a source, or a builder over one (from(s).filter(...).derive(...)), without a window. */
export type JoinInput = Source | { plan(): PlanNode };

export interface IntervalJoinOptions {
  /** Equal columns ('card' or ['k1', 'k2']) or a SQL condition over a and b ('a.x = b.y'). */
  readonly on: string | readonly string[];
  /** b.time >= a.time + lower (may be negative). */
  readonly lower: DurationInput;
  /** b.time <= a.time + upper. */
  readonly upper: DurationInput;
  /** The name SQL refers to (default: a_b from the source names). */
  readonly name?: string;
  /** Prefix for b's columns whose names a already uses (default: b's source name and '_'). */
  readonly rightPrefix?: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function inputPlan(input: JoinInput, which: string): PlanNode {
  const plan = 'spec' in input ? sourceNode(input) : input.plan();
  let n: PlanNode = plan;
  for (; !isLeaf(n); n = n.input) {
    if (n.kind !== 'filter' && n.kind !== 'derive' && n.kind !== 'select') throw new QueryError('join-input', messages.joinInput(which, n.kind));
  }
  if (n.kind === 'intervalJoin') throw new QueryError('join-input', messages.joinInput(which, 'an interval join'));
  return plan;
}

function condition(on: string | readonly string[]): JoinCondition {
  const list = typeof on === 'string' ? (IDENT.test(on.trim()) ? [on.trim()] : undefined) : [...on];
  if (list === undefined) return { kind: 'sql', sql: on as string };
  if (list.length === 0 || list.some((k) => typeof k !== 'string' || !IDENT.test(k))) throw new ConfigError('join-on', messages.joinOnInvalid(JSON.stringify(on)));
  return { kind: 'keys', keys: list };
}

/**
 * Joins two streams on event time: each row of `a` with the rows of `b` whose time lies in
 * [a.time + lower, a.time + upper] and that satisfy `on`. The result is a source (event time = a's)
 * for from() or sql(); each input keeps its own history, live topic and hand-off.
 */
export function intervalJoin(a: JoinInput, b: JoinInput, options: IntervalJoinOptions): Source {
  const left = inputPlan(a, 'a');
  const right = inputPlan(b, 'b');
  const la = planSource(left);
  const rb = planSource(right);
  const lowerMs = signedDuration(options.lower, 'lower');
  const upperMs = signedDuration(options.upper, 'upper');
  if (lowerMs > upperMs) throw new ConfigError('join-interval', messages.joinInterval(String(options.lower), String(options.upper)));
  const name = options.name ?? `${la.name}_${rb.name}`;
  if (!IDENT.test(name)) throw new ConfigError('join-name', messages.invalidSourceOption(name, 'name', 'use letters, digits and _ (it is the name SQL refers to)'));
  const join: IntervalJoinNode = {
    kind: 'intervalJoin',
    source: {
      name,
      time: la.time,
      // a joined row is never behind the joined watermark: the sides' own bounds already count
      maxOutOfOrdernessMs: 0,
      idleTimeoutMs: Math.min(la.idleTimeoutMs, rb.idleTimeoutMs),
    },
    left,
    right,
    on: condition(options.on),
    lowerMs,
    upperMs,
    rightPrefix: options.rightPrefix ?? `${rb.name}_`,
  };
  return { spec: join.source, join };
}

/** A duration that may be negative ('-10 seconds'). */
function signedDuration(d: DurationInput, what: string): number {
  if (typeof d === 'number') {
    if (!Number.isFinite(d)) throw new ConfigError('join-interval', messages.invalidDuration(`interval join ${what}`, String(d)));
    return d;
  }
  const neg = /^\s*-/.test(d);
  const ms = parseDuration(neg ? d.replace(/^\s*-\s*/, '') : d, `interval join ${what}`);
  return neg ? -ms : ms;
}
