/**
 * What reaches a user at the library's edges is a WindowpaneError from the catalogue, never a raw
 * DuckDB or kafkajs error: reads after close(), a sink read with bad SQL, a topic's ends, a replay
 * and a demo topic on a broker that is not there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kafka, logLevel } from 'kafkajs';
import { freshTopic, KafkaError, QueryError, replay, source, sql, tableSink, topicEnds, isWindowpaneError } from '../../src/index.js';
import { freePort } from '../../src/local-kafka/ports.js';
import { messages } from '../../src/messages.js';

/** A client of a port where nothing listens, with no retries of its own (quick). */
async function nobody(): Promise<{ kafka: Kafka; at: string }> {
  const at = `127.0.0.1:${await freePort()}`;
  return { kafka: new Kafka({ brokers: [at], clientId: 'edges', retry: { retries: 0 }, connectionTimeout: 500, logLevel: logLevel.NOTHING }), at };
}

async function history(): Promise<{ db: DuckDBInstance; ev: ReturnType<typeof source> }> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`CREATE TABLE h AS SELECT TIMESTAMP '2024-01-01' + to_seconds(i * 10) AS ts, i AS v FROM range(100) t(i)`);
  c.closeSync();
  return { db, ev: source({ name: 'ev', time: 'ts', history: { table: 'h' } }) };
}

test("a query's tables read after close() are a QueryError (query-closed), not DuckDB's closed connection", async () => {
  const { db, ev } = await history();
  const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: { ev }, duckdb: db });
  assert.equal((await q.collect()).length, 17);
  assert.deepEqual(await q.deadLetters(), []);
  await q.close();
  await assert.rejects(q.deadLetters(), (e: unknown) => e instanceof QueryError && e.code === 'query-closed' && e.message === messages.queryClosed('its dead-letter table'));
  await assert.rejects(q.lateEvents(), (e: unknown) => e instanceof QueryError && e.message === messages.queryClosed('its late-events table'));
  await assert.rejects(q.memory(), (e: unknown) => e instanceof QueryError && e.message === messages.queryClosed('its memory'));
  db.closeSync();
});

test("a table sink read with bad SQL is a QueryError quoting DuckDB's reason", async () => {
  const { db, ev } = await history();
  const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: { ev }, duckdb: db });
  const sink = await q.sink(tableSink({ table: 'counts' }));
  await q.collect();
  await sink.done;
  assert.equal((await sink.read('SELECT count(*) AS rows FROM counts'))[0]?.rows, 17);
  const e = await sink.read('SELECT nope FROM counts').then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof QueryError && e.code === 'sql-invalid', String(e));
  assert.match(e.message, /^the query is not valid DuckDB SQL: Binder Error: Referenced column "nope" not found/);
  await q.close();
  db.closeSync();
});

test('Kafka calls at the edges on a broker that is not there: KafkaErrors naming it', async () => {
  const { kafka, at } = await nobody();
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-edges-'));
  try {
    const ends = await topicEnds('t', kafka).then(() => undefined, (x: unknown) => x);
    assert.ok(ends instanceof KafkaError && ends.code === 'broker-unreachable', String(ends));
    assert.match(ends.message, new RegExp(`^cannot reach Kafka at ${at.replace(/\./g, '\\.')}`));
    const demo = await freshTopic(kafka, 't', 1).then(() => undefined, (x: unknown) => x);
    assert.ok(demo instanceof KafkaError, String(demo));
    writeFileSync(join(dir, 'rows.csv'), 'ts,v\n2024-01-01 00:00:00,1\n');
    const replayed = await replay({ file: join(dir, 'rows.csv'), topic: 't', kafka }).then(() => undefined, (x: unknown) => x);
    assert.ok(isWindowpaneError(replayed) && replayed instanceof KafkaError, String(replayed));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
