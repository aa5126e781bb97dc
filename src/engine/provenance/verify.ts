/**
 * Replay from provenance: checks that the recorded data is still there, unchanged, and turns the
 * recording into a hand-off (the recorded start offsets and boundary) and stop offsets (the recorded
 * ends), so the run reads exactly the same records.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ConfigError, SourceError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { TopicOffsets } from '../../kafka/topic.js';
import { historyRelationSql } from '../exec/historyRelation.js';
import type { PlanNode } from '../plan/types.js';
import type { Handoff } from '../run/handoff.js';
import type { SourceSpec } from '../source/types.js';
import { expandFiles, fingerprintFile, fingerprintRelation } from './fingerprint.js';
import { PROVENANCE_FORMAT, type HistoryProvenance, type Provenance } from './types.js';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Validates a provenance at the edge (it may come from a notebook file). */
export function assertProvenance(x: unknown): asserts x is Provenance {
  const bad = (why: string): never => {
    throw new ConfigError('provenance-invalid', messages.provenanceInvalid(why));
  };
  if (!isObject(x)) return bad(`expected an object, got ${x === null ? 'null' : typeof x}`);
  if (x.format !== PROVENANCE_FORMAT) bad(`format is ${JSON.stringify(x.format)}, expected "${PROVENANCE_FORMAT}"`);
  if (!isObject(x.query) || !isObject(x.query.plan)) bad('it has no query.plan');
  if (!isObject(x.run) || typeof x.run.flush !== 'boolean') bad('it has no run.flush');
  if (x.kafka !== undefined) {
    if (!isObject(x.kafka) || typeof x.kafka.topic !== 'string' || !isObject(x.kafka.offsets) || !isObject(x.kafka.handoff)) return bad('kafka needs topic, offsets and handoff');
    for (const [p, range] of Object.entries(x.kafka.offsets)) {
      if (!/^\d+$/.test(p) || !Array.isArray(range) || range.length !== 2 || !range.every((o) => Number.isInteger(o) && (o as number) >= 0)) bad(`kafka.offsets["${p}"] must be [from, to]`);
    }
  }
}

export function checkPlan(p: Provenance, plan: PlanNode): void {
  const recorded = JSON.stringify(p.query.plan);
  const given = JSON.stringify(plan);
  if (recorded !== given) throw new ConfigError('replay-plan-differs', messages.replayPlanDiffers(p.query.sql ?? recorded.slice(0, 300), plan.kind === 'statement' ? plan.original : given.slice(0, 300)));
}

/** Every recorded history fingerprint must match the data now. */
export async function verifyHistory(conn: DuckDBConnection, source: SourceSpec, recorded: HistoryProvenance | undefined): Promise<void> {
  const h = source.history;
  if (!h) return;
  if (!recorded) throw new ConfigError('provenance-invalid', messages.provenanceInvalid(`it has no fingerprint of the history of source ${source.name} (it was taken before the history was hashed: take it once query.done has resolved)`));
  switch (recorded.kind) {
    case 'files': {
      const pattern = recorded.patterns.join(', ');
      const now = h.kind === 'parquet' || h.kind === 'csv' || h.kind === 'json' ? await expandFiles(conn, h.paths) : [];
      const was = recorded.files.map((f) => f.path);
      const added = now.filter((f) => !was.includes(f));
      const removed = was.filter((f) => !now.includes(f));
      if (added.length > 0 || removed.length > 0) {
        const what = [removed.length > 0 ? `missing ${removed.join(', ')}` : '', added.length > 0 ? `new ${added.join(', ')}` : ''].filter(Boolean).join('; ');
        throw new SourceError('replay-history-changed', messages.replayFilesDiffer(source.name, pattern, what), { context: { source: source.name } });
      }
      for (const f of recorded.files) {
        const current = await fingerprintFile(f.path);
        const what =
          current.size !== f.size ? `its size is ${current.size} bytes, recorded ${f.size}` : current.sha256 !== f.sha256 ? `same size, but its content differs (SHA-256 ${current.sha256.slice(0, 12)}…, recorded ${f.sha256.slice(0, 12)}…; modified ${current.modified}, recorded ${f.modified})` : undefined;
        if (what) throw new SourceError('replay-history-changed', messages.replayFileChanged(f.path, what), { context: { source: source.name, path: f.path } });
      }
      return;
    }
    case 'table': case 'query': {
      if (h.kind !== 'table' && h.kind !== 'query') return;
      const now = await fingerprintRelation(conn, historyRelationSql(h));
      if (now.rows !== recorded.rows || now.hash !== recorded.hash) {
        throw new SourceError('replay-history-changed', messages.replayRelationChanged(source.name, `${recorded.kind} ${recorded.relation}`, `${recorded.rows} rows, hash ${recorded.hash}`, `${now.rows} rows, hash ${now.hash}`), { context: { source: source.name } });
      }
      return;
    }
    case 'kafkaBacklog': return;
    default: {
      const never: never = recorded;
      return never;
    }
  }
}

/** The recorded hand-off and the stop offsets; partitions added since start and stop at their end. */
export function replayHandoff(p: Provenance, source: SourceSpec, topic: TopicOffsets): { handoff: Handoff; stop: Map<number, number> } {
  const k = p.kafka;
  const name = source.live?.topic ?? '';
  if (!k) throw new ConfigError('provenance-invalid', messages.provenanceInvalid(`it records no Kafka offsets, but source ${source.name} reads topic "${name}"`));
  if (k.topic !== name) throw new ConfigError('replay-topic-differs', messages.replayTopicDiffers(k.topic, name));
  const start = new Map(topic.high);
  const stop = new Map(topic.high);
  for (const [key, [from, to]] of Object.entries(k.offsets)) {
    const part = Number(key);
    const low = topic.low.get(part) ?? 0;
    const high = topic.high.get(part) ?? 0;
    if (to > from && from < low) throw new SourceError('replay-offsets-gone', messages.replayOffsetsGone(k.topic, part, from, low), { context: { topic: k.topic, partition: part } });
    if (to > high) throw new SourceError('replay-offsets-missing', messages.replayOffsetsMissing(k.topic, part, to, high), { context: { topic: k.topic, partition: part } });
    start.set(part, from);
    stop.set(part, to);
  }
  const h = k.handoff;
  const map = (m: Readonly<Record<string, number>>): Map<number, number> => new Map(Object.entries(m).map(([q, o]) => [Number(q), o]));
  const handoff: Handoff = {
    kind: h.kind,
    start,
    ...(h.backlogEnd ? { backlogEnd: map(h.backlogEnd) } : {}),
    ...(h.boundaryUs !== undefined ? { boundaryUs: h.boundaryUs } : {}),
    ...(h.maxGapMs !== undefined ? { maxGapMs: h.maxGapMs } : {}),
    replayOf: p.recordedAt,
  };
  return { handoff, stop };
}
