/**
 * Session windows: SESSION(events PARTITION BY k, ts, '5 minutes') through Windowpane — history
 * phase (one query over Parquet) and live phase (every record a live micro-batch record from Kafka)
 * — beside the same sessionization written for DuckDB with window functions (lag, then a running
 * sum over PARTITION BY k ORDER BY ts) over the same events. Every result row is read into JS.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { source, sql } from '../../../src/index.js';
import type { Context } from '../context.js';
import { figure, missing, type Cell, type Row, type Section } from '../report.js';

const BASE_US = Date.UTC(2026, 0, 1) * 1000;
const STEP_US = 10_000; // one event every 10 ms of event time, over all keys
const GAP = '5 minutes';
export const OURS_SQL = `SELECT window_start, window_end, k, count(*) AS n, sum(v) AS sv FROM SESSION(events PARTITION BY k, ts, '${GAP}') GROUP BY ALL`;
// a session starts at an event more than the gap after the key's previous one; it ends gap after its last
const duckSql = (relation: string): string => `WITH flagged AS (
  SELECT ts, k, v, CASE WHEN ts - lag(ts) OVER (PARTITION BY k ORDER BY ts) < INTERVAL '${GAP}' THEN 0 ELSE 1 END AS starts FROM ${relation}),
numbered AS (SELECT *, sum(starts) OVER (PARTITION BY k ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session FROM flagged)
SELECT min(ts) AS window_start, max(ts) + INTERVAL '${GAP}' AS window_end, k, count(*) AS n, sum(v) AS sv FROM numbered GROUP BY k, session`;

/** n events, keys by DuckDB's hash() so each key's gaps vary (some longer than the session gap). */
export async function generate(file: string, n: number, keys: number): Promise<void> {
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  await conn.run(`COPY (SELECT make_timestamp(${BASE_US} + i * ${STEP_US}) AS ts, 'k' || (hash(i) % ${keys}) AS k, (i * 31) % 1000 AS v FROM range(${n}) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.closeSync();
  duck.closeSync();
}

export async function direct(relation: string): Promise<{ ms: number; rows: number }> {
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  const t0 = performance.now();
  const rows = (await conn.runAndReadAll(duckSql(relation))).getRows().length;
  const ms = performance.now() - t0;
  conn.closeSync();
  duck.closeSync();
  return { ms, rows };
}

/** The events as JSON into a 2-partition topic, each key in one partition, in time order. */
export async function produce(ctx: Context, file: string): Promise<string> {
  const topic = await ctx.createTopic('sessions', 2);
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const r = await conn.runAndReadAll(`SELECT epoch_ms(ts), k, v FROM '${file}' ORDER BY ts`);
  conn.closeSync();
  duck.closeSync();
  const producer = ctx.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const rows = r.getRows();
  for (let from = 0; from < rows.length; from += 5000) {
    const messages = rows.slice(from, from + 5000).map(([ts, k, v]) => ({ partition: Number(String(k).slice(1)) % 2, value: `{"ts":${Number(ts)},"k":"${String(k)}","v":${Number(v)}}` }));
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  return topic;
}

async function oursHistory(file: string): Promise<{ ms: number; rows: number }> {
  const events = source({ name: 'events', time: 'ts', history: { parquet: file } });
  const t0 = performance.now();
  const q = await sql(OURS_SQL, { sources: { events } });
  const rows = (await q.collect()).length;
  const ms = performance.now() - t0;
  await q.close();
  return { ms, rows };
}

export async function oursLive(ctx: Context, topic: string): Promise<{ ms: number; rows: number; batches: number }> {
  const events = source({ name: 'events', time: 'ts', live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', k: 'VARCHAR', v: 'BIGINT' } });
  const t0 = performance.now();
  const q = await sql(OURS_SQL, { sources: { events }, kafka: ctx.kafka, until: 'caughtUp' });
  const rows = (await q.collect()).length;
  const ms = performance.now() - t0;
  const batches = q.stats().batches;
  await q.close();
  return { ms, rows, batches };
}

const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

export async function sessionsCase(ctx: Context): Promise<Section> {
  const { events: n, liveEvents, keys } = ctx.scale.sessions;
  const rows: Row[] = [];
  const notes: string[] = [];
  const phases = [
    { name: 'history', events: n },
    { name: 'live', events: liveEvents },
  ] as const;
  for (const phase of phases) {
    const file = join(ctx.dir, `sessions-${phase.name}-${phase.events}.parquet`);
    ctx.log(`sessions ${phase.name}: generating ${phase.events.toLocaleString('en-US')} events over ${keys.toLocaleString('en-US')} keys`);
    await generate(file, phase.events, keys);
    const topic = phase.name === 'live' ? await produce(ctx, file) : undefined;
    const duck: number[] = [];
    const mine: number[] = [];
    let failed: Cell | undefined;
    let sessions = 0;
    let batches = 0;
    for (let i = 0; i < ctx.scale.repeats; i++) {
      const d = await direct(`read_parquet('${file}')`);
      duck.push(phase.events / (d.ms / 1000));
      sessions = d.rows;
      if (failed) continue;
      try {
        const o: { ms: number; rows: number; batches?: number } = topic ? await oursLive(ctx, topic) : await oursHistory(file);
        batches = o.batches ?? 0;
        if (o.rows !== d.rows) notes.push(`${phase.name}: Windowpane returned ${o.rows} sessions, DuckDB ${d.rows}.`);
        mine.push(phase.events / (o.ms / 1000));
      } catch (e) {
        failed = missing(`failed: ${errorLine(e)}`);
      }
    }
    if (topic) await ctx.deleteTopic(topic);
    ctx.log(`sessions ${phase.name}: ours ${mine.map(Math.round).join(', ')} ev/s; duckdb ${duck.map(Math.round).join(', ')} ev/s; ${sessions} sessions${batches ? `; ${batches} micro-batches` : ''}`);
    const label = phase.name === 'history' ? 'history phase (Parquet, one query)' : `live phase (Kafka, ${batches.toLocaleString('en-US')} micro-batches)`;
    rows.push({ name: `${label}: ${phase.events.toLocaleString('en-US')} events → ${sessions.toLocaleString('en-US')} sessions`, cells: { Windowpane: failed ?? figure(mine, 'events/s'), 'DuckDB direct': figure(duck, 'events/s') } });
  }
  notes.push(
    `Query: \`${OURS_SQL}\`. Data: generated with DuckDB \`range()\`: one event every 10 ms of event time, the key \`'k' || hash(i) % ${keys}\` (so each key's gaps vary and some exceed the 5-minute gap), a value v. History phase: a \`{ parquet }\` history source, no live part, timed from \`sql()\` to \`collect()\`. Live phase: the events as JSON in a 2-partition topic (each key in one partition, in time order), produced before the run; a live-only source with \`startAt: 'earliest'\` and \`until: 'caughtUp'\`, so every event goes through the live path (reading Kafka, JSON typing in DuckDB, recomputing the sessions of the keys a micro-batch touched), timed from \`sql()\` to \`collect()\`.`,
    'DuckDB direct: the same sessionization as SQL window functions over the same events in Parquet — `lag(ts) OVER (PARTITION BY k ORDER BY ts)` flags an event more than the gap after its predecessor as a session start, a running `sum` over the same window numbers the sessions, then a GROUP BY per key and session (window_start = first event, window_end = last event + gap, as Windowpane defines them); every row read into JS. It reads Parquet in both rows: it is the batch ceiling for the same answer, not a Kafka consumer.',
  );
  return { id: 'sessions', title: 'Session windows: SESSION(... PARTITION BY key ...) in the history and the live phase', columns: ['Windowpane', 'DuckDB direct'], rows, ratioTo: 'DuckDB direct', higherIsBetter: true, notes };
}
