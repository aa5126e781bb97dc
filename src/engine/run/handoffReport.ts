/** The hand-off as plain JSON, for stats(), explain() and provenance. */
import type { HandoffReport } from '../provenance/types.js';
import type { Handoff } from './handoff.js';
import { messages } from '../../messages.js';
import type { GapReport, Overlap } from './overlap.js';

const record = (m: ReadonlyMap<number, number>): Record<string, number> => Object.fromEntries([...m].sort((a, b) => a[0] - b[0]).map(([p, o]) => [String(p), o]));

/** Records the hand-off could not read (retention deleted them), as gap reports. */
export function lostGaps(h: Handoff, source = '', topic = ''): GapReport[] {
  return (h.lost ?? []).map((l) => ({ kind: 'lost', partition: l.partition, from: l.from, to: l.to, message: messages.handoffLost(source, topic, l.partition, l.from, l.to) }));
}

export function handoffReport(h: Handoff, overlap: Overlap | undefined, source = '', topic = ''): HandoffReport {
  return {
    kind: h.kind,
    start: record(h.start),
    ...(h.backlogEnd ? { backlogEnd: record(h.backlogEnd) } : {}),
    ...(h.boundaryUs !== undefined ? { boundary: new Date(Math.floor(h.boundaryUs / 1000)).toISOString(), boundaryUs: h.boundaryUs } : {}),
    ...(h.seekMs !== undefined ? { seek: new Date(h.seekMs).toISOString() } : {}),
    ...(h.maxGapMs !== undefined ? { maxGapMs: h.maxGapMs } : {}),
    ...(h.replayOf !== undefined ? { replayOf: h.replayOf } : {}),
    overlap: overlap?.count ?? 0,
    gaps: [...lostGaps(h, source, topic), ...(overlap ? overlap.gaps : [])],
  };
}

/** The report's explain() lines. */
export function describeHandoff(r: HandoffReport): string[] {
  const offsets = (m: Readonly<Record<string, number>>): string => Object.entries(m).map(([p, o]) => `${p}:${o}`).join(' ') || '-';
  const lines = [`hand-off: ${r.kind}; live starts at ${offsets(r.start)}`];
  if (r.replayOf) lines.push(`  replay of the run recorded at ${r.replayOf}: the recorded start offsets and boundary, up to the recorded ends`);
  if (r.backlogEnd) lines.push(`  backlog read up to (exclusive) ${offsets(r.backlogEnd)}`);
  if (r.kind === 'time') lines.push(`  boundary ${r.boundary ?? '-'} (history holds events at or before it); sought to record time ${r.seek ?? '-'}; overlap ${r.overlap} events; ${r.gaps.length === 0 ? 'no gap seen' : `${r.gaps.length} gap(s)`}`);
  if (r.kind === 'timestamp') lines.push(`  sought to record time ${r.seek ?? '-'}`);
  for (const g of r.gaps) lines.push(`  gap: ${g.message}`);
  return lines;
}
