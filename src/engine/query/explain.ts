/** explain(): the plan chain, the SQL of both phases and the hand-off offsets. */
import { assertNever, planChain, planSource, type PlanNode } from '../plan/types.js';
import { describeWindow } from '../plan/window.js';
import { describeHandoff } from '../run/handoffReport.js';
import type { ChangelogHub } from '../changelog/hub.js';
import type { Run } from '../run/driver.js';
import type { WindowExecutor } from './executor.js';
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

export function explainRun(run: Run<ChangelogHub>, exec: WindowExecutor): string {
  const lines = ['plan:', ...planChain(exec.plan).map((n, i) => `  ${i + 1}. ${describeNode(n)}`)];
  const s = exec.setup;
  if (s) {
    lines.push(`output: window_start, window_end; keys [${s.shape.keys.join(', ')}]; values [${s.shape.values.join(', ')}]`);
    lines.push(...(exec.explainEngine?.() ?? ['history SQL:', `  ${s.sql.history}`, 'live SQL (per micro-batch, touched windows only):', `  ${s.sql.live}`]));
  }
  const report = exec.handoffReport?.();
  if (report) lines.push(...describeHandoff(report));
  lines.push(...(exec.explainLines?.() ?? []));
  lines.push(`emit: ${run.options.emit}; until: ${run.until.kind}; flush: ${run.flush}`);
  return lines.join('\n');
}
