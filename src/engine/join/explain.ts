/** explain() lines of an interval join: the condition and bounds, each input and its hand-off. */
import type { JoinSide } from './side.js';
import type { IntervalJoinNode } from '../plan/types.js';

const offsets = (m: ReadonlyMap<number, number>): string => [...m].sort((x, y) => x[0] - y[0]).map(([p, o]) => `${p}:${o}`).join(' ');

export function explainJoin(join: IntervalJoinNode, sides: readonly JoinSide[]): string[] {
  const on = join.on.kind === 'keys' ? join.on.keys.join(', ') : join.on.sql;
  const lines = [`interval join: b.time BETWEEN a.time + ${join.lowerMs} ms AND a.time + ${join.upperMs} ms, on ${on}`];
  for (const s of sides) {
    const h = s.input ? `hand-off: ${s.input.handoff.kind}; live starts at ${offsets(s.input.handoff.start)}` : 'no live part';
    lines.push(`  ${s.role} = ${s.source.name} (history ${s.source.history?.kind ?? 'none'}, ${h})`);
  }
  return lines;
}
