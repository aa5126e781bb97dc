/**
 * The time hand-off at run time. Each typed live batch passes through here first: events at or
 * before the boundary are overlap (history already holds them) and move to their own table, counted
 * and queryable, instead of being counted twice. The first records of each partition tell whether
 * there is a gap: a first live event far after the boundary, or records lost to retention.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { messages } from '../../messages.js';
import { ident } from '../exec/duck.js';
import type { Column } from '../exec/recordSql.js';
import { T } from '../exec/tables.js';
import type { Handoff } from './handoff.js';
import { US_PER_MS } from '../exec/windowSql.js';

export const OVERLAP_TABLE = 'wp_overlap_events';

export type GapReport =
  | { readonly kind: 'time'; readonly partition: number; readonly firstLive: string; readonly gapMs: number; readonly message: string }
  | { readonly kind: 'retention'; readonly partition: number; readonly earliestOffset: number; readonly earliestRecord: string; readonly message: string }
  /** An archive or given offsets resume below what the topic still holds: records [from, to) are lost. */
  | { readonly kind: 'lost'; readonly partition: number; readonly from: number; readonly to: number; readonly message: string };

export interface OverlapContext {
  readonly conn: DuckDBConnection;
  readonly columns: readonly Column[];
  readonly time: string;
  readonly source: string;
  readonly topic: string;
  /** partition → first retained offset when the run started. */
  readonly low: ReadonlyMap<number, number>;
  readonly warn: (message: string) => void;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function duration(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) if (ms >= size) return `${+(ms / size).toFixed(1)} ${name}${ms === size ? '' : 's'}`;
  return `${ms} ms`;
}

export class Overlap {
  count = 0;
  readonly gaps: GapReport[] = [];
  private readonly firstRecordSeen = new Set<number>();
  private readonly firstLiveSeen = new Set<number>();
  private readonly boundaryUs: number;
  private readonly boundaryMs: number;

  constructor(
    private readonly c: OverlapContext,
    private readonly handoff: Handoff & { readonly boundaryUs: number },
  ) {
    this.boundaryUs = handoff.boundaryUs;
    this.boundaryMs = Math.floor(handoff.boundaryUs / US_PER_MS);
  }

  async create(): Promise<void> {
    await this.c.conn.run(`CREATE OR REPLACE TEMP TABLE ${OVERLAP_TABLE} (${this.c.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`);
  }

  /** Moves the overlap out of the typed batch T.batch (records of one partition). */
  async divert(partition: number): Promise<void> {
    const t = `epoch_us(CAST(${ident(this.c.time)} AS TIMESTAMP))`;
    const overlap = `__reason IS NULL AND ${t} <= ${this.boundaryUs}`;
    if (!this.firstRecordSeen.has(partition) || !this.firstLiveSeen.has(partition)) await this.observeFirst(partition, t);
    const cols = this.c.columns.map((c) => ident(c.name)).join(', ');
    const moved = Number((await this.c.conn.run(`INSERT INTO ${OVERLAP_TABLE} (${cols}) SELECT ${cols} FROM ${T.batch} WHERE ${overlap}`)).rowsChanged);
    if (moved === 0) return;
    this.count += moved;
    await this.c.conn.run(`DELETE FROM ${T.batch} WHERE ${overlap}`);
  }

  private async observeFirst(partition: number, t: string): Promise<void> {
    const r = await this.c.conn.runAndReadAll(
      `SELECT min(_offset), epoch_ms(arg_min(_timestamp, _offset)), min(${t}) FILTER (WHERE __reason IS NULL AND ${t} > ${this.boundaryUs}) FROM ${T.batch}`,
    );
    const [offset, recordMs, liveUs] = r.getRows()[0] ?? [];
    if (!this.firstRecordSeen.has(partition) && offset !== null && offset !== undefined) {
      this.firstRecordSeen.add(partition);
      const low = this.c.low.get(partition) ?? 0;
      // the reader starts at the first retained record, older ones are gone, and it is already past the boundary
      if (Number(offset) === low && low > 0 && this.handoff.start.get(partition) === low && Number(recordMs) > this.boundaryMs) {
        this.report({ kind: 'retention', partition, earliestOffset: low, earliestRecord: iso(Number(recordMs)), message: messages.handoffRetentionGap(this.c.source, this.c.topic, partition, low, iso(Number(recordMs)), iso(this.boundaryMs)) });
      }
    }
    if (!this.firstLiveSeen.has(partition) && liveUs !== null && liveUs !== undefined) {
      this.firstLiveSeen.add(partition);
      const firstMs = Math.floor(Number(liveUs) / US_PER_MS);
      const gapMs = firstMs - this.boundaryMs;
      if (gapMs > (this.handoff.maxGapMs ?? Number.POSITIVE_INFINITY)) {
        this.report({ kind: 'time', partition, firstLive: iso(firstMs), gapMs, message: messages.handoffGap(this.c.source, this.c.topic, partition, iso(firstMs), iso(this.boundaryMs), duration(gapMs)) });
      }
    }
  }

  private report(gap: GapReport): void {
    this.gaps.push(gap);
    this.c.warn(gap.message);
  }
}
