/** Records a run's provenance: history fingerprints and Kafka facts at start, offsets as it reads. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeBrokers } from '../../kafka/seek.js';
import { packageRoot } from '../../util/paths.js';
import type { PlanNode } from '../plan/types.js';
import type { SourceSpec } from '../source/types.js';
import { fingerprintHistory } from './fingerprint.js';
import { verifyHistory } from './verify.js';
import { PROVENANCE_FORMAT, type HandoffReport, type HistoryProvenance, type Provenance } from './types.js';

const version = (() => {
  try {
    return String((JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
})();

/** What the run knows when provenance() is asked. */
export interface RunFacts {
  readonly plan: PlanNode;
  readonly source: SourceSpec;
  readonly emit: string;
  readonly flush: boolean;
  readonly until: string;
  readonly finished: boolean;
  /** partition → next offset after the records the run took. */
  readonly processed: ReadonlyMap<number, number>;
  readonly handoff: HandoffReport | undefined;
}

export class ProvenanceRecorder {
  private readonly recordedAt = new Date().toISOString();
  private history: HistoryProvenance | undefined;
  private cluster: { clusterId: string; brokers: string[] } | undefined;
  private duckdb = 'unknown';
  /** Resolves when file hashing is done (it goes on while the history query runs). */
  ready: Promise<void> = Promise.resolve();

  /** Starts recording; a replay first checks the history against the recorded fingerprints. */
  async start(conn: DuckDBConnection, source: SourceSpec, kafka: Kafka | undefined, replay?: Provenance): Promise<void> {
    this.duckdb = String((await conn.runAndReadAll('SELECT version()')).getRows()[0]?.[0] ?? 'unknown');
    if (kafka) this.cluster = await describeBrokers(kafka);
    if (replay) {
      await verifyHistory(conn, source, replay.history);
      this.history = replay.history;
    } else if (source.history) {
      const { ready } = await fingerprintHistory(conn, source.history);
      this.ready = ready.then((h) => void (this.history = h));
      this.ready.catch(() => undefined);
    }
  }

  /** The history files' total size once they are fingerprinted (undefined before, and for other histories). */
  historyBytes(): number | undefined {
    return this.history?.kind === 'files' ? this.history.files.reduce((sum, f) => sum + f.size, 0) : undefined;
  }

  build(f: RunFacts): Provenance {
    const live = f.source.live;
    const offsets = f.handoff ? Object.fromEntries(Object.entries(f.handoff.start).map(([p, from]) => [p, [from, f.processed.get(Number(p)) ?? from] as const])) : {};
    return {
      format: PROVENANCE_FORMAT,
      library: { name: 'windowpane', version, duckdb: this.duckdb },
      recordedAt: this.recordedAt,
      source: f.source.name,
      query: { ...(f.plan.kind === 'statement' ? { sql: f.plan.original } : {}), plan: f.plan },
      ...(this.history ? { history: this.history } : {}),
      ...(live && f.handoff ? { kafka: { topic: live.topic, ...(this.cluster ? { clusterId: this.cluster.clusterId, brokers: this.cluster.brokers } : { brokers: [] }), offsets, handoff: f.handoff } } : {}),
      run: { emit: f.emit, flush: f.flush, until: f.until, finished: f.finished },
    };
  }
}
