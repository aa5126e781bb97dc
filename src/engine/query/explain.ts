/** explain(): the plan chain, the SQL of both phases and the hand-off offsets. */
import { assertNever, planChain, planSource, type PlanNode } from '../plan/types.js';
import { describeWindow } from '../plan/window.js';
import { describeHandoff } from '../run/handoffReport.js';
import { runHandoff } from './provenance.js';
import type { RunView } from './view.js';
import { describeLookup } from '../join/lookup.js';

function describeNode(n: PlanNode): string {
  switch (n.kind) {
    case 'scan': return `scan ${n.source.name} (time ${n.source.time}, max out-of-orderness ${n.source.maxOutOfOrdernessMs} ms, history ${n.source.history?.kind ?? 'none'}, live ${n.source.live ? `topic ${n.source.live.topic} (${n.source.live.format})` : 'none'})`;
    case 'intervalJoin': return `interval join ${n.source.name} (time ${n.source.time}) of a = ${planSource(n.left).name} and b = ${planSource(n.right).name}`;
    case 'filter': return `filter ${n.predicate}`;
    case 'derive': return `derive ${JSON.stringify(n.columns)}`;
    case 'select': return `select ${JSON.stringify(n.columns)}`;
    case 'window': return `window ${describeWindow(n.window)}`;
    case 'aggregate': return `aggregate keys ${JSON.stringify(n.keys)} values ${JSON.stringify(n.aggregates)}`;
    case 'having': return `having ${n.predicate}`;
    case 'order': return `order by ${n.by.join(', ')}`;
    case 'statement': return `sql ${n.original.replace(/\s+/g, ' ').trim()}`;
    case 'enrich': return `enrich from ${describeLookup(n.table)} (as of the query's start) on ${n.on.join(', ')}`;
    default: return assertNever(n);
  }
}

function offsets(m: ReadonlyMap<number, number> | undefined): string {
  return m ? [...m].sort((a, b) => a[0] - b[0]).map(([p, o]) => `${p}:${o}`).join(' ') : '-';
}

export function explainRun(run: RunView): string {
  const lines = ['plan:', ...planChain(run.plan).map((n, i) => `  ${i + 1}. ${describeNode(n)}`)];
  const s = run.setup;
  if (s) {
    lines.push(`output: window_start, window_end; keys [${s.shape.keys.join(', ')}]; values [${s.shape.values.join(', ')}]`);
    lines.push('history SQL:', `  ${s.sql.history}`, 'live SQL (per micro-batch, touched windows only):', `  ${s.sql.live}`);
  }
  const report = runHandoff(run);
  if (report) lines.push(...describeHandoff(report));
  else if (run.handoff) {
    lines.push(`hand-off: ${run.handoff.kind}; live starts at ${offsets(run.handoff.start)}`);
    if (run.handoff.backlogEnd) lines.push(`  backlog read up to (exclusive) ${offsets(run.handoff.backlogEnd)}`);
  }
  lines.push(...(run.explainLines?.() ?? []));
  lines.push(`emit: ${run.mode}; until: ${run.until.kind}; flush: ${run.flush}`);
  return lines.join('\n');
}
