/** explain() for pipelines: the plan chain, the SQL over a micro-batch, and the hand-off offsets. */
import { planChain, type PlanNode } from '../plan/types.js';
import type { PipelineRun } from './run.js';

function describe(n: PlanNode): string {
  switch (n.kind) {
    case 'scan': return `scan ${n.source.name} (time ${n.source.time}, history ${n.source.history?.kind ?? 'none'}, live ${n.source.live ? `topic ${n.source.live.topic} (${n.source.live.format})` : 'none'})`;
    case 'filter': return `filter ${n.predicate}`;
    case 'derive': return `derive ${JSON.stringify(n.columns)}`;
    case 'select': return `select ${JSON.stringify(n.columns)}`;
    case 'statement': return `sql ${n.original.replace(/\s+/g, ' ').trim()}`;
    default: return n.kind;
  }
}

const offsets = (m: ReadonlyMap<number, number> | undefined): string => (m ? [...m].sort((a, b) => a[0] - b[0]).map(([p, o]) => `${p}:${o}`).join(' ') : '-');

export function explainPipeline(run: PipelineRun): string {
  const lines = ['stateless pipeline:', ...planChain(run.plan).map((n, i) => `  ${i + 1}. ${describe(n)}`)];
  const s = run.setup;
  if (s) {
    lines.push(`output: ${s.output.map((c) => `${c.name} ${c.type}`).join(', ')}`);
    lines.push('SQL (per micro-batch and over history):', `  ${s.render('<input>')}`);
  }
  if (run.handoff) {
    lines.push(`hand-off: ${run.handoff.kind}; live starts at ${offsets(run.handoff.start)}`);
    if (run.handoff.backlogEnd) lines.push(`  backlog read up to (exclusive) ${offsets(run.handoff.backlogEnd)}`);
    if (run.handoff.boundaryUs !== undefined) lines.push(`  history up to ${new Date(run.handoff.boundaryUs / 1000).toISOString()}; live events at or before it are skipped (overlap)`);
  }
  lines.push(`until: ${run.until.kind}`);
  return lines.join('\n');
}
