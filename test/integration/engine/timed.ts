/**
 * Helpers for the time hand-off tests: records whose Kafka timestamp is their event time (as
 * `windowpane replay` writes them), and history files without partition and offset columns.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { eventJson, type TestEvent } from './events.js';

/** Produces events (idempotently, in order) with record timestamp = event time. */
export async function produceTimed(kafka: Kafka, topic: string, events: readonly TestEvent[]): Promise<void> {
  if (events.length === 0) return;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: events.map((e) => ({ partition: e.partition, value: eventJson(e), timestamp: String(e.ts) })) });
  } finally {
    await producer.disconnect();
  }
}

/** Writes events as a Parquet file with only the data columns (ts, g, v, x). */
export async function writePlain(path: string, events: readonly TestEvent[]): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('CREATE TABLE a (ts TIMESTAMP, g VARCHAR, v BIGINT, x DOUBLE)');
  if (events.length > 0) await c.run(`INSERT INTO a VALUES ${events.map((e) => `(make_timestamp(${e.ts * 1000}), '${e.g}', ${e.v}, ${e.x})`).join(', ')}`);
  await c.run(`COPY a TO '${path}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
}

/** Per partition: the first offset whose record time is at or after `ms` (what a timestamp seek finds). */
export function seekOffsets(topicEvents: readonly TestEvent[], partitions: number, ms: number): number[] {
  return Array.from({ length: partitions }, (_, p) => {
    const list = topicEvents.filter((e) => e.partition === p);
    const i = list.findIndex((e) => e.ts >= ms);
    return i < 0 ? list.length : i;
  });
}

/** The topic's events a time hand-off reads: per partition from the seek offset on. */
export function readFrom(topicEvents: readonly TestEvent[], seek: readonly number[]): TestEvent[] {
  return seek.flatMap((from, p) => topicEvents.filter((e) => e.partition === p).slice(from));
}
