/**
 * Shared helpers for the engine's integration tests: random event sets with bounded disorder,
 * producing them to partitions, archives with offsets, and the plain DuckDB batch answer.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import fc from 'fast-check';
import type { ChangelogRow, Scalar } from '../../../src/index.js';
import { createTopic } from '../../helpers/kafka.js';

export interface TestEvent {
  readonly partition: number;
  readonly ts: number; // epoch ms
  readonly g: string;
  readonly v: number; // integer
  readonly x: number; // float
}

export const BASE = Date.UTC(2024, 0, 1);

/** One step of makeEvents: a partition, how far its time advances, how far back this event lies (at most `boundMs`), and its values. */
export function eventStep(boundMs: number) {
  return fc.record({
    p: fc.nat(7),
    advance: fc.integer({ min: 0, max: 4 * 60_000 }),
    back: fc.integer({ min: 0, max: boundMs }),
    g: fc.nat(2),
    v: fc.integer({ min: -1000, max: 1000 }),
    x: fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }),
  });
}

/** Draws per-partition event sequences whose times never fall more than `boundMs` behind that partition's max. */
export function makeEvents(steps: readonly { p: number; advance: number; back: number; g: number; v: number; x: number }[], partitions: number, boundMs: number): TestEvent[] {
  const max = new Array<number>(partitions).fill(BASE);
  return steps.map((s) => {
    const p = s.p % partitions;
    const ts = max[p]! + s.advance - Math.min(s.back, boundMs);
    max[p] = Math.max(max[p]!, ts);
    return { partition: p, ts, g: ['a', 'b', 'c'][s.g % 3]!, v: s.v, x: s.x };
  });
}

export function eventJson(e: TestEvent): string {
  return JSON.stringify({ ts: new Date(e.ts).toISOString(), g: e.g, v: e.v, x: e.x });
}

/**
 * Produces events in order (per partition order is kept); returns each event's offset. The producer
 * is idempotent, so a retry (a fresh topic's leader not yet known everywhere) never writes a record
 * twice; the offsets the broker assigned are checked against the ones counted here.
 */
export async function produce(kafka: Kafka, topic: string, events: readonly TestEvent[], startOffsets: number[]): Promise<number[]> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let acks: { partition: number; baseOffset?: string }[] = [];
  try {
    if (events.length > 0) acks = await producer.send({ topic, acks: -1, messages: events.map((e) => ({ partition: e.partition, value: eventJson(e) })) });
  } finally {
    await producer.disconnect();
  }
  const offsets = events.map((e) => startOffsets[e.partition]!++);
  for (const ack of acks) {
    const first = events.findIndex((e) => e.partition === ack.partition);
    if (first >= 0 && ack.baseOffset !== undefined && Number(ack.baseOffset) !== offsets[first]) {
      throw new Error(`test setup: partition ${ack.partition} got base offset ${ack.baseOffset}, expected ${offsets[first]}`);
    }
  }
  return offsets;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'windowpane-engine-'));
}

/** Writes events (with their partition and offset) as a Parquet, CSV or NDJSON archive. */
export async function writeArchive(path: string, events: readonly TestEvent[], offsets: readonly number[], format: 'parquet' | 'csv' | 'json' = 'parquet'): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('CREATE TABLE a (ts TIMESTAMP, g VARCHAR, v BIGINT, x DOUBLE, _partition INTEGER, _offset BIGINT)');
  const values = events.map((e, i) => `(make_timestamp(${e.ts * 1000}), '${e.g}', ${e.v}, ${e.x}, ${e.partition}, ${offsets[i]})`);
  if (values.length > 0) await c.run(`INSERT INTO a VALUES ${values.join(', ')}`);
  const opts = format === 'parquet' ? '(FORMAT parquet)' : format === 'csv' ? '(FORMAT csv, HEADER)' : '(FORMAT json)';
  await c.run(`COPY a TO '${path}' ${opts}`);
  c.closeSync();
  db.closeSync();
}

export interface Expected {
  readonly key: string;
  readonly values: Readonly<Record<string, Scalar>>;
}

/**
 * The batch answer: a plain DuckDB GROUP BY over all events, with windows as an explicit range join
 * (an independent definition from the engine's bucket arithmetic).
 */
export async function batchAnswer(events: readonly TestEvent[], sizeMs: number, slideMs: number, aggregates: string): Promise<Map<string, Record<string, Scalar>>> {
  const out = new Map<string, Record<string, Scalar>>();
  if (events.length === 0) return out;
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('CREATE TABLE e (ts_ms BIGINT, g VARCHAR, v BIGINT, x DOUBLE)');
  await c.run(`INSERT INTO e VALUES ${events.map((e) => `(${e.ts}, '${e.g}', ${e.v}, ${e.x})`).join(', ')}`);
  const lo = Math.floor((Math.min(...events.map((e) => e.ts)) - sizeMs) / slideMs) * slideMs;
  const hi = Math.max(...events.map((e) => e.ts));
  const r = await c.runAndReadAll(
    `SELECT w.ws AS window_start, g, ${aggregates} FROM e JOIN (SELECT range AS ws FROM range(${lo}, ${hi + 1}, ${slideMs})) w ON e.ts_ms >= w.ws AND e.ts_ms < w.ws + ${sizeMs} GROUP BY w.ws, g`,
  );
  const names = r.columnNames();
  for (const row of r.getRows()) {
    const rec = Object.fromEntries(names.map((n, i) => [n, typeof row[i] === 'bigint' ? Number(row[i]) : (row[i] as Scalar)]));
    const ws = Number(rec.window_start);
    out.set(`${ws}|${ws + sizeMs}|${JSON.stringify([rec.g])}`, rec);
  }
  c.closeSync();
  db.closeSync();
  return out;
}

/** Compares final rows with the batch answer: exact for integers, 1e-9 relative for floats. Returns a difference or undefined. */
export function diffResults(rows: readonly ChangelogRow[], expected: Map<string, Record<string, Scalar>>, columns: readonly string[], floats: readonly string[] = []): string | undefined {
  const got = new Map(rows.map((r) => [r.key, r]));
  if (rows.some((r) => r.kind !== 'final')) return 'a non-final row in collect()';
  if (got.size !== rows.length) return 'duplicate keys';
  for (const [key, exp] of expected) {
    const row = got.get(key);
    if (!row) return `missing window ${key}`;
    for (const c of columns) {
      const a = row.values[c];
      const b = exp[c];
      if (typeof a === 'number' && typeof b === 'number' && floats.includes(c)) {
        if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(b))) return `${key} ${c}: ${a} != ${b}`;
      } else if (a !== b) return `${key} ${c}: ${String(a)} != ${String(b)}`;
    }
  }
  for (const key of got.keys()) if (!expected.has(key)) return `unexpected window ${key}`;
  return undefined;
}

/** Events split at the hand-off: the history part in a topic (and an archive of it when asked), the live part still to send. */
export interface HandOffSplit {
  readonly topic: string;
  readonly history: readonly TestEvent[];
  readonly live: readonly TestEvent[];
  /** The offset of each event of history then live, in that order. */
  readonly offsets: readonly number[];
  readonly historyInput: { kafkaBacklog: true } | { parquet: string };
  /** Each partition's next offset: moves on as `produce` sends the live part. */
  readonly next: number[];
  /** Each partition's end offset once the live part is sent: the run's `until`. */
  readonly until: { offsets: Record<number, number> };
}

/**
 * Splits each partition's sequence at its own percentage (`split[p]`), produces the history part to
 * a fresh topic and, for 'archive', writes it to a Parquet file in `dir` as well.
 */
export async function splitAtHandOff(kafka: Kafka, o: { dir: string; n: number; prefix: string; events: readonly TestEvent[]; partitions: number; split: readonly number[]; history: 'backlog' | 'archive' }): Promise<HandOffSplit> {
  const byPartition = Array.from({ length: o.partitions }, (_, p) => o.events.filter((e) => e.partition === p));
  const cut = byPartition.map((list, p) => Math.floor((list.length * o.split[p]!) / 100));
  const history = byPartition.flatMap((list, p) => list.slice(0, cut[p]));
  const live = byPartition.flatMap((list, p) => list.slice(cut[p]));
  const topic = await createTopic({ kafka, partitions: o.partitions, prefix: o.prefix });
  const next = new Array<number>(o.partitions).fill(0);
  const historyOffsets = await produce(kafka, topic, history, next);
  let historyInput: HandOffSplit['historyInput'] = { kafkaBacklog: true };
  if (o.history === 'archive') {
    const path = join(o.dir, `archive-${o.n}.parquet`);
    await writeArchive(path, history, historyOffsets);
    historyInput = { parquet: path };
  }
  const total = [...next];
  for (const e of live) total[e.partition]!++;
  const liveOffsets = live.map((e, i) => live.slice(0, i).filter((x) => x.partition === e.partition).length + cut[e.partition]!);
  return { topic, history, live, offsets: [...historyOffsets, ...liveOffsets], historyInput, next, until: { offsets: Object.fromEntries(total.map((o, p) => [p, o])) } };
}
