/**
 * engine: 'flink' for real, on the test cluster and broker: a query over Parquet history handed off
 * by time to a live topic with unreadable records gives the local engine's rows and dead letters;
 * explain() shows the Flink SQL, the job and its link; provenance names the engine; what does not
 * translate is refused before any job is submitted; a live run streams rows while it runs, stop()
 * cancels its job, and a run bounded by duration drains it so every window closes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { from, hop, session, source, sql, tableSink, isWindowpaneError, type ChangelogRow, type Query } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { createTopic, testKafka } from '../../../helpers/kafka.js';
import { jobCount, jobState, testFlinkOptions, testFlinkWebUi } from '../../../helpers/flink.js';
import { tempDir } from '../events.js';

const BASE = Date.UTC(2024, 0, 1);
const flink = { engine: 'flink' as const, flink: testFlinkOptions() };
let kafka: Kafka;
let dir: string;

before(async () => {
  kafka = testKafka();
  dir = tempDir();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT TIMESTAMP '2024-01-01' + to_seconds(i * 30) AS ts, 'c' || (i % 3) AS card, i AS amount FROM range(40) t(i)) TO '${join(dir, 'history.parquet')}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
});

after(() => undefined);

async function send(topic: string, values: readonly (string | Record<string, unknown>)[], partitions = 2): Promise<void> {
  const p = kafka.producer();
  await p.connect();
  await p.send({ topic, messages: values.map((v, i) => ({ partition: i % partitions, value: typeof v === 'string' ? v : JSON.stringify(v) })) });
  await p.disconnect();
}

const purchase = (minute: number, i: number) => ({ ts: new Date(BASE + minute * 60_000).toISOString(), card: `c${i % 3}`, amount: 100 + i });
const byKey = (rows: readonly ChangelogRow[]) => rows.map((r) => `${r.key} ${JSON.stringify(r.values)}`).sort();

async function collected(q: Query): Promise<ChangelogRow[]> {
  try {
    return await q.collect();
  } finally {
    await q.close();
  }
}

test('history handed off by time to a live topic: the local rows and dead letters, a sink, the Flink SQL, the job and the engine in provenance', { timeout: 300_000 }, async () => {
  const topic = await createTopic({ kafka, partitions: 2, prefix: 'flink-engine' });
  // live repeats the last five minutes of history (overlap) and goes on; three records do not read
  await send(topic, [...Array.from({ length: 30 }, (_, i) => purchase(17.5 + i / 2, i)), '{oops', { ts: '2024-01-01T00:20:00Z', card: 'c1', amount: 'lots' }, { card: 'c1', amount: 3 }]);
  const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', history: { parquet: join(dir, 'history.parquet') }, live: { topic } });
  const text = `SELECT window_start, window_end, card, count(*) AS n, sum(amount) AS total FROM TUMBLE(ev, ts, '5 minutes') GROUP BY window_start, window_end, card`;
  const local = await sql(text, { sources: [ev], kafka, until: 'caughtUp' });
  const q = await sql(text, { sources: [ev], kafka, until: 'caughtUp', ...flink });
  const results = await DuckDBInstance.create(':memory:');
  const sunk = await q.sink(tableSink({ table: 'results', duckdb: results }));
  const localRows = await local.collect();
  const rows = await q.collect();
  // a sink takes the Flink query's rows as it takes the local engine's
  await sunk.done;
  const table = (await (await results.connect()).runAndReadAll('SELECT key, n, total FROM results ORDER BY key')).getRowObjectsJson() as { key: string; n: number | string; total: number | string }[];
  assert.deepEqual(table.map((r) => `${String(r.key)} ${String(r.n)} ${String(r.total)}`), [...rows].sort((a, b) => (a.key < b.key ? -1 : 1)).map((r) => `${r.key} ${String(r.values.n)} ${String(r.values.total)}`));
  assert.deepEqual(byKey(rows), byKey(localRows));
  assert.ok(rows.length >= 20);
  const dead = (letters: Record<string, unknown>[]) => letters.map((d) => `${String(d.partition)}:${String(d.offset)} ${String(d.reason)}`).sort();
  assert.deepEqual(dead(await q.deadLetters()), dead(await local.deadLetters()));
  assert.equal(q.stats().deadLetters, 3);

  const explained = q.explain();
  const job = /job: ([0-9a-f]{32}) \((\S+)\)/.exec(explained);
  assert.ok(job, explained);
  assert.equal(job[2], `${testFlinkWebUi()}/#/job/running/${job[1]}/overview`);
  assert.match(explained, /engine: flink 2\.2\.1 through the SQL Gateway at http:\/\/127\.0\.0\.1:\d+/);
  assert.match(explained, /CREATE TEMPORARY TABLE `wp_ev_live` .*'scan\.startup\.mode' = 'specific-offsets'/);
  assert.match(explained, /TABLE\(TUMBLE\(TABLE `ev`, DESCRIPTOR\(`ts`\), INTERVAL '0 00:05:00\.000' DAY\(3\) TO SECOND\(3\)\)\)/);
  assert.equal(await jobState(testFlinkWebUi(), job[1]!), 'FINISHED');

  const p = q.provenance()!;
  assert.deepEqual({ ...p.engine, gateway: undefined }, { name: 'flink', gateway: undefined, flinkVersion: '2.2.1', jobId: job[1], parallelism: 1 });
  assert.deepEqual(p.kafka?.offsets, local.provenance()?.kafka?.offsets);
  assert.deepEqual(p.history, local.provenance()?.history);
  await local.close();
  await q.close();
  results.closeSync();
});

test('what does not translate is refused before any job is submitted, with the catalogue message', { timeout: 120_000 }, async () => {
  const ev = source({ name: 'ev', time: 'ts', history: { parquet: join(dir, 'history.parquet') } });
  const before = await jobCount(testFlinkWebUi());
  const refused = async (start: () => Promise<unknown>, code: string, message: string | RegExp) => {
    await assert.rejects(start(), (e: unknown) => isWindowpaneError(e) && e.code === code && (typeof message === 'string' ? e.message === message : message.test(e.message)));
  };
  await refused(() => sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '5 minutes') GROUP BY window_start`, { sources: [ev], emit: 'updates', ...flink }), 'flink-option', /^emit: 'updates' is not available on engine 'flink'/);
  await refused(() => sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '5 minutes') GROUP BY window_start`, { sources: [ev], allowedLateness: '1 minute', ...flink }), 'flink-option', /^allowedLateness is not available/);
  const all = `SELECT window_start, card, count(*) AS n FROM TUMBLE(ev, ts, '5 minutes') GROUP BY ALL`;
  await refused(() => sql(all, { sources: [ev], ...flink }), 'flink-unsupported', messages.flinkUnsupported('GROUP BY ALL', `${all.replace("TUMBLE(ev, ts, '5 minutes')", '__windowpane_windowed__ AS "ev"')}\n${' '.repeat(all.indexOf('GROUP BY ALL') + "__windowpane_windowed__ AS \"ev\"".length - "TUMBLE(ev, ts, '5 minutes')".length)}${'^'.repeat(12)}`, messages.flinkHintSyntax('group')));
  await refused(() => sql(`SELECT window_start, card, any_value(amount) AS a FROM TUMBLE(ev, ts, '5 minutes') GROUP BY window_start, card`, { sources: [ev], ...flink }), 'flink-unsupported', /^any_value\(\) has no counterpart on engine 'flink'/);
  const duck = await DuckDBInstance.create(':memory:');
  await (await duck.connect()).run(`CREATE TABLE cards AS SELECT 'c1' AS card, 'gold' AS tier`);
  await refused(() => sql(`SELECT window_start, c.tier, count(*) AS n FROM TUMBLE(ev, ts, '5 minutes') AS e JOIN cards AS c ON c.card = e.card GROUP BY window_start, c.tier`, { sources: [ev], duckdb: duck, ...flink }), 'flink-unsupported', /^table cards has no counterpart.*\n.*\n.*\^+\nIn SQL a table joins after the window/);
  await refused(() => from(ev).window(hop('ts', { size: '5 minutes', slide: '2 minutes' })).aggregate({ n: 'count(*)' }).run(flink), 'flink-unsupported', /HOP needs the size to be a whole multiple of the slide/);
  // an unknown column is DuckDB's error, the same as on the local engine
  await refused(() => sql(`SELECT window_start, count(nope) AS n FROM TUMBLE(ev, ts, '5 minutes') GROUP BY window_start`, { sources: [ev], ...flink }), 'sql-invalid', /nope/);
  assert.equal(await jobCount(testFlinkWebUi()), before, 'no job was submitted');
  duck.closeSync();
});

test('a session that an event exactly one gap later would touch splits there, as on the local engine', { timeout: 180_000 }, async () => {
  const topic = await createTopic({ kafka, partitions: 1, prefix: 'flink-session' });
  // 0:00, 0:05 (exactly the gap: a new session), 0:09, then 0:30
  await send(topic, [0, 5, 9, 30].map((m, i) => ({ ts: new Date(BASE + m * 60_000).toISOString(), card: 'c1', amount: i })), 1);
  const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', card: 'VARCHAR', amount: 'BIGINT' } });
  const query = from(ev).window(session('ts', '5 minutes', { by: 'card' })).groupBy('card').aggregate({ n: 'count(*)' });
  const local = await collected(await query.run({ kafka, until: 'caughtUp' }));
  const rows = await collected(await query.run({ kafka, until: 'caughtUp', ...flink }));
  assert.deepEqual(byKey(rows), byKey(local));
  assert.deepEqual(rows.map((r) => [(r.windowStart - BASE) / 60_000, (r.windowEnd - BASE) / 60_000, r.values.n]), [[0, 5, 1], [5, 14, 2], [30, 35, 1]]);
});

test('an unbounded run over history and a quiet topic: the history windows close at history\'s watermark, later ones when live data comes', { timeout: 240_000 }, async () => {
  const topic = await createTopic({ kafka, partitions: 2, prefix: 'flink-quiet' });
  const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 minute', idleTimeout: '3 seconds', history: { parquet: join(dir, 'history.parquet') }, live: { topic, startAt: 'earliest' } });
  const text = `SELECT window_start, window_end, count(*) AS n FROM TUMBLE(ev, ts, '5 minutes') GROUP BY window_start, window_end`;
  const q = await sql(text, { sources: [ev], kafka, ...flink });
  try {
    const seen: ChangelogRow[] = [];
    const it = q.changes()[Symbol.asyncIterator]();
    // history: 40 events 30 s apart (0:00 to 0:19:30); its watermark 0:18:30 closes [0:00, 0:15)
    while (seen.length < 3) seen.push((await it.next()).value as ChangelogRow);
    assert.deepEqual(seen.map((r) => [(r.windowStart - BASE) / 60_000, r.values.n]), [[0, 10], [5, 10], [10, 10]]);
    await send(topic, Array.from({ length: 8 }, (_, i) => purchase(20 + i * 2, i)));
    // live to 0:34 moves every partition's watermark past 0:25: [0:15, 0:20) and [0:20, 0:25) close
    while (seen.length < 5) seen.push((await it.next()).value as ChangelogRow);
    assert.deepEqual(seen.slice(3).map((r) => [(r.windowStart - BASE) / 60_000, r.values.n]), [[15, 10], [20, 3]]);
  } finally {
    await q.close();
  }
});

test('a live run streams rows while it runs; stop() cancels its job; a run bounded by duration drains its job and closes every window', { timeout: 300_000 }, async () => {
  const topic = await createTopic({ kafka, partitions: 2, prefix: 'flink-live' });
  const schema = { ts: 'TIMESTAMP', card: 'VARCHAR', amount: 'BIGINT' };
  const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema });
  const text = `SELECT window_start, window_end, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY window_start, window_end`;
  await send(topic, Array.from({ length: 20 }, (_, i) => purchase(i / 4, i)));
  const q = await sql(text, { sources: [ev], kafka, ...flink });
  const jobId = /job: ([0-9a-f]{32})/.exec(q.explain())![1]!;
  const seen: ChangelogRow[] = [];
  for await (const row of q.changes()) {
    seen.push(row);
    if (seen.length === 4) break;
  }
  assert.deepEqual(seen.map((r) => [(r.windowStart - BASE) / 60_000, r.values.n, r.kind]), [[0, 4, 'final'], [1, 4, 'final'], [2, 4, 'final'], [3, 4, 'final']]);
  assert.equal(q.stats().phase, 'live');
  assert.equal(await jobState(testFlinkWebUi(), jobId), 'RUNNING');
  await q.close();
  let state: string | undefined;
  for (let i = 0; i < 50 && state !== 'CANCELED'; i++, await delay(200)) state = await jobState(testFlinkWebUi(), jobId);
  assert.equal(state, 'CANCELED');
  // the open window [4, 5) closes only when the run ends: a drain
  const bounded = await sql(text, { sources: [ev], kafka, until: { duration: '20 seconds' }, ...flink });
  const rows = await bounded.collect();
  assert.deepEqual(rows.map((r) => [(r.windowStart - BASE) / 60_000, r.values.n]), [[0, 4], [1, 4], [2, 4], [3, 4], [4, 4]]);
  await bounded.close();
});
