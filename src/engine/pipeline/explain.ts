/** explain() for pipelines: the plan chain, the SQL over a micro-batch, and the hand-off offsets. */
import { planChain, type PlanNode } from '../plan/types.js';
import type { Run } from '../run/driver.js';
import type { PipelineExecutor } from './executor.js';
import type { RecordHub } from './hub.js';
import { US_PER_MS } from '../exec/windowSql.js';

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

export function explainPipeline(run: Run<RecordHub>, exec: PipelineExecutor): string {
  const lines = ['stateless pipeline:', ...planChain(exec.plan).map((n, i) => `  ${i + 1}. ${describe(n)}`)];
  const s = exec.setup;
  if (s) {
    lines.push(`output: ${s.output.map((c) => `${c.name} ${c.type}`).join(', ')}`);
    lines.push('SQL (per micro-batch and over history):', `  ${s.render('<input>')}`);
  }
  const handoff = exec.input?.handoff;
  if (handoff) {
    lines.push(`hand-off: ${handoff.kind}; live starts at ${offsets(handoff.start)}`);
    if (handoff.backlogEnd) lines.push(`  backlog read up to (exclusive) ${offsets(handoff.backlogEnd)}`);
    if (handoff.boundaryUs !== undefined) lines.push(`  history up to ${new Date(handoff.boundaryUs / US_PER_MS).toISOString()}; live events at or before it are skipped (overlap)`);
  }
  lines.push(`until: ${run.until.kind}`);
  return lines.join('\n');
}
