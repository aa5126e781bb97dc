/**
 * One input of an interval join: its source's columns and history, its own hand-off and reader, its
 * own watermark, and a DuckDB buffer of its rows that can still match the other side. Raw Kafka
 * records are typed the way the window engine types them (same SQL, same dead letters).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { QueryError } from '../../errors.js';
import { messages } from '../../messages.js';
import type { RecordBatch } from '../../kafka/batch.js';
import { offsetsForTime } from '../../kafka/seek.js';
import { ident } from '../exec/duck.js';
import { typedRecordsSql, type Column } from '../exec/recordSql.js';
import { renderPlan } from '../exec/render.js';
import { Stage } from '../exec/stage.js';
import { T } from '../exec/tables.js';
import { Watermarks } from '../exec/watermark.js';
import { planSource, type PlanNode } from '../plan/types.js';
import { planHandoff } from '../run/handoff.js';
import { openInput, type RunInput } from '../run/input.js';
import { sourceColumns } from '../run/setup.js';
import type { StreamClock } from '../run/outage.js';
import type { SourceSpec } from '../source/types.js';
import { timeUs } from './sql.js';

export type Role = 'a' | 'b';

export class JoinSide {
  readonly source: SourceSpec;
  readonly wm: Watermarks;
  readonly t;
  /** Typed event columns of the source (data + Kafka metadata). */
  columns: Column[] = [];
  /** Columns after the input's filter/derive/select: the rows the join sees. */
  out: Column[] = [];
  historyRelation: string | undefined;
  historyColumns: Column[] = [];
  /** The live part: topic, hand-off, how far it is read. */
  input: RunInput | undefined;
  events = 0;
  late = 0;
  private stage: Stage | undefined;

  constructor(
    readonly role: Role,
    readonly plan: PlanNode,
    private readonly conn: DuckDBConnection,
    /** The run's clock for idle timeouts (it stands still while the input is cut off). */
    private readonly clock: StreamClock,
  ) {
    this.source = planSource(plan);
    this.wm = Watermarks.forSource(this.source);
    const p = `wp_join_${role}`;
    this.t = { stage: `${p}_stage`, typed: `${p}_typed`, events: `${p}_events`, delta: `${p}_delta`, buf: `${p}_buf`, late: `${p}_late` } as const;
  }

  get time(): string {
    return this.source.time;
  }

  /** Columns, tables and (for a live input) the topic's offsets and the hand-off. */
  async prepare(client: () => { kafka: Kafka; brokers: string }): Promise<void> {
    const s = this.source;
    const { columns, historyRelation, historyColumns } = await sourceColumns(this.conn, s);
    this.columns = [...columns];
    this.historyRelation = historyRelation;
    this.historyColumns = [...historyColumns];
    const cols = this.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.t.events} (${cols})`);
    try {
      await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.t.buf} AS ${this.rowsOf(this.t.events)} LIMIT 0`);
    } catch (e) {
      throw new QueryError('join-input', messages.joinInputInvalid(this.role, s.name, (e instanceof Error ? e.message : String(e)).split('\n')[0]!), { cause: e });
    }
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.t.late} AS SELECT * FROM ${this.t.buf} LIMIT 0`);
    this.out = (await this.conn.runAndReadAll(`DESCRIBE ${this.t.buf}`)).getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
    if (!this.out.some((c) => c.name === s.time)) throw new QueryError('join-input', messages.joinInputTime(this.role, s.name, s.time));
    const live = s.live;
    if (!live) return;
    this.stage = new Stage(this.conn, this.t.stage);
    await this.stage.create();
    const kafka = client();
    this.input = await openInput(s, kafka, (topic) => planHandoff(this.conn, s, {
      topic, historyRelation: this.historyRelation, historyColumns: this.historyColumns,
      seek: (ms) => offsetsForTime(kafka.kafka, live.topic, ms, kafka.brokers), defaultMaxGapMs: 60_000,
    }));
    this.wm.declarePartitions([...this.input.atStart.high.keys()], this.clock.now());
  }

  /** The input's rows over a relation of typed events (its filter/derive/select applied). */
  rowsOf(relation: string): string {
    return `SELECT * FROM (${renderPlan(this.plan, { relation })}) WHERE ${ident(this.time)} IS NOT NULL`;
  }

  /** File, table or query history: straight into the buffer; the watermark from its events. */
  async loadHistory(): Promise<void> {
    const rel = this.historyRelation!;
    await this.conn.run(`INSERT INTO ${this.t.buf} ${this.rowsOf(rel)}`);
    await this.observe(`SELECT * FROM ${rel} AS e WHERE ${ident(this.time)} IS NOT NULL`);
  }

  /** Backlog records (before the hand-off): typed into the buffer. */
  async loadBacklog(records: RecordBatch): Promise<void> {
    const good = await this.type(records);
    await this.conn.run(`INSERT INTO ${this.t.buf} ${this.rowsOf(good)}`);
    await this.observe(`SELECT * FROM ${good} AS e`);
  }

  /** Live records: typed into the delta table; rows behind this side's watermark are kept as late. */
  async loadDelta(partition: number, records: RecordBatch): Promise<void> {
    const before = this.wm.valueUs;
    const good = await this.type(records);
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.t.delta} AS ${this.rowsOf(good)}`);
    // a time hand-off: history holds the events at or before the boundary, so live ones there are overlap
    const handoff = this.input?.handoff;
    const boundary = handoff?.kind === 'time' ? handoff.boundaryUs : undefined;
    if (boundary !== undefined) await this.conn.run(`DELETE FROM ${this.t.delta} AS e WHERE ${timeUs('e', this.time)} <= ${boundary}`);
    if (Number.isFinite(before)) {
      const late = await this.conn.run(`INSERT INTO ${this.t.late} SELECT * FROM ${this.t.delta} AS e WHERE ${timeUs('e', this.time)} < ${before}`);
      this.late += Number(late.rowsChanged);
      if (Number(late.rowsChanged) > 0) await this.conn.run(`DELETE FROM ${this.t.delta} AS e WHERE ${timeUs('e', this.time)} < ${before}`);
    }
    this.wm.touch(partition, this.clock.now());
    await this.observe(`SELECT * FROM ${good} AS e`);
  }

  /** Types raw records; bad ones go to the query's dead-letter table. Returns the good rows' relation. */
  private async type(records: RecordBatch): Promise<string> {
    this.stage!.append(records);
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${this.t.typed} AS ${typedRecordsSql(this.source.live!, this.columns, this.time, this.stage!.round())}`);
    await this.stage!.clear();
    await this.conn.run(`INSERT INTO ${T.dead} SELECT _partition, _offset, _timestamp, _key, _value, __reason FROM ${this.t.typed} WHERE __reason IS NOT NULL`);
    return `(SELECT ${this.columns.map((c) => ident(c.name)).join(', ')} FROM ${this.t.typed} WHERE __reason IS NULL)`;
  }

  /** Per-partition event-time maxima of all typed events (before the input's filter). */
  private async observe(rows: string): Promise<void> {
    const r = await this.conn.runAndReadAll(`SELECT _partition, max(${timeUs('e', this.time)}), count(*) FROM (${rows}) AS e GROUP BY 1`);
    const now = this.clock.now();
    for (const [p, max, n] of r.getRows()) {
      this.events += Number(n);
      if (max === null) continue;
      if (p === null) this.wm.observeGlobal(Number(max));
      else this.wm.observe(Number(p), Number(max), now);
    }
  }

  async deadLetters(): Promise<number> {
    const r = await this.conn.runAndReadAll(`SELECT count(*) FROM ${this.t.typed} WHERE __reason IS NOT NULL`);
    return Number(r.getRows()[0]?.[0] ?? 0);
  }

  close(): void {
    this.stage?.close();
  }
}
