/**
 * replay against the real broker: files written by DuckDB in a temp folder, replayed to fresh
 * topics, consumed back and checked for order, count, keys, values and record timestamps.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Kafka } from 'kafkajs';
import { replay } from '../../../src/replay/replay.js';
import { createKafka } from '../../../src/kafka/client.js';
import { EnvironmentError, SourceError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';
import { testKafka, testKafkaSettings, withTopic, uniqueTopicName } from '../../helpers/kafka.js';

let dir: string;
const N = 1000;

/** Writes `sql`'s result to `file` with DuckDB (COPY ... TO). */
async function write(file: string, sql: string, format: 'parquet' | 'csv'): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`COPY (${sql}) TO '${file}' (FORMAT ${format})`);
  conn.closeSync();
  instance.closeSync();
}

// Event times are a permutation of N seconds (7919 is prime to N), so the file is out of order;
// two rows have no event time.
const EVENTS = `SELECT i AS id, TIMESTAMP '2024-03-01 12:00:00' + ((i * 7919) % ${N}) * INTERVAL 1 SECOND AS ts,
  'card-' || (i % 7) AS card, round(i * 1.25, 2) AS amount FROM range(${N}) t(i)
  UNION ALL SELECT ${N}, NULL, 'card-x', 0 UNION ALL SELECT ${N + 1}, NULL, 'card-y', 0`;

interface Got {
  partition: number;
  key: string | null;
  timestamp: number;
  value: Record<string, unknown>;
}

/** Reads `count` records from the start of `topic`. */
async function consume(kafka: Kafka, topic: string, count: number): Promise<Got[]> {
  const consumer = kafka.consumer({ groupId: `replay-test-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const got: Got[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: ({ partition, message }) => {
          got.push({ partition, key: message.key?.toString() ?? null, timestamp: Number(message.timestamp), value: JSON.parse(message.value!.toString()) as Record<string, unknown> });
          if (got.length >= count) resolve();
          return Promise.resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return got;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'windowpane-replay-test-'));
  await write(join(dir, 'events.parquet'), EVENTS, 'parquet');
  await write(join(dir, 'events.csv'), `SELECT id, strftime(ts, '%Y-%m-%d %H:%M:%S') AS happened, card, amount FROM (${EVENTS})`, 'csv');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a Parquet file is replayed in event-time order with the right count; bad rows are counted, not sent', async () => {
  await withTopic({ prefix: 'replay-parquet', partitions: 1 }, async (topic, kafka) => {
    const result = await replay({ file: join(dir, 'events.parquet'), topic, kafka, batchSize: 100 });
    assert.equal(result.total, N + 2);
    assert.equal(result.sent, N);
    assert.equal(result.timeColumn, 'ts');
    assert.equal(result.bad.count, 2);
    assert.deepEqual(result.bad.byReason, { 'event time (ts) missing or unreadable': 2 });
    assert.deepEqual(result.bad.examples.map((b) => b.row).sort(), [N + 1, N + 2]);
    assert.equal(result.firstEventTime, '2024-03-01T12:00:00.000Z');
    assert.equal(result.lastEventTime, new Date(Date.UTC(2024, 2, 1, 12, 0, N - 1)).toISOString());

    const got = await consume(kafka, topic, N);
    assert.equal(got.length, N);
    const times = got.map((g) => Date.parse(g.value.ts as string));
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!, `out of order at ${i}`);
    assert.equal(new Set(got.map((g) => g.value.id)).size, N);
    const first = got[0]!;
    assert.equal(first.value.ts, '2024-03-01T12:00:00.000000Z');
    assert.equal(first.timestamp, Date.UTC(2024, 2, 1, 12, 0, 0), 'the record timestamp is the event time');
    assert.equal(first.key, null);
    assert.deepEqual(Object.keys(first.value), ['id', 'ts', 'card', 'amount']);
  });
});

test('a CSV file with a text time column and a key column, over several partitions, keeps event-time order per partition', async () => {
  await withTopic({ prefix: 'replay-csv', partitions: 3 }, async (topic, kafka) => {
    const result = await replay({ file: join(dir, 'events.csv'), topic, kafka, timeColumn: 'happened', keyColumn: 'card' });
    assert.equal(result.sent, N);
    assert.equal(result.bad.count, 2);
    const got = await consume(kafka, topic, N);
    assert.equal(got.length, N);
    assert.ok(new Set(got.map((g) => g.partition)).size > 1, 'keys spread over partitions');
    for (const p of [0, 1, 2]) {
      const times = got.filter((g) => g.partition === p).map((g) => g.timestamp);
      for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!);
    }
    const byKey = new Map<string, Set<number>>();
    for (const g of got) byKey.set(g.key!, (byKey.get(g.key!) ?? new Set()).add(g.partition));
    assert.equal(byKey.size, 7);
    for (const parts of byKey.values()) assert.equal(parts.size, 1, 'one key, one partition');
    assert.equal(got.find((g) => g.value.id === 3)?.key, 'card-3');
  });
});

test('--rate and --speedup pace the replay (checked loosely)', async () => {
  await write(join(dir, 'small.parquet'), `SELECT i AS id, TIMESTAMP '2024-01-01' + i * INTERVAL 100 MILLISECOND AS ts FROM range(50) t(i)`, 'parquet');
  await withTopic({ prefix: 'replay-rate', partitions: 1 }, async (topic, kafka) => {
    const rated = await replay({ file: join(dir, 'small.parquet'), topic, kafka, rate: 100 });
    assert.equal(rated.sent, 50);
    // 50 rows at 100/s: the last is due at 490 ms.
    assert.ok(rated.durationMs >= 400, `rate: took ${rated.durationMs} ms`);
    // 4.9 s of event time at 10x: the last row is due at 490 ms.
    const sped = await replay({ file: join(dir, 'small.parquet'), topic, kafka, speedup: 10 });
    assert.ok(sped.durationMs >= 400, `speedup: took ${sped.durationMs} ms`);
    const fast = await replay({ file: join(dir, 'small.parquet'), topic, kafka });
    assert.equal(fast.sent, 50);
    assert.equal((await consume(kafka, topic, 150)).length, 150);
  });
});

test('clear errors: a missing file, a missing topic (suggesting --create), no time column, an unreachable broker', async () => {
  const kafka = testKafka();
  const missing = join(dir, 'nope.parquet');
  await assert.rejects(replay({ file: missing, topic: 'x', kafka }), (e: unknown) => e instanceof SourceError && e.message === messages.replayFileMissing(missing));
  const topic = uniqueTopicName('replay-missing');
  await assert.rejects(replay({ file: join(dir, 'events.parquet'), topic, kafka }), (e: unknown) => e instanceof SourceError && e.message === messages.replayTopicMissing(topic));
  await write(join(dir, 'notime.parquet'), 'SELECT 1 AS a, 2 AS b', 'parquet');
  await assert.rejects(replay({ file: join(dir, 'notime.parquet'), topic, kafka }), (e: unknown) => e instanceof SourceError && e.message === messages.replayNoTimeColumn(join(dir, 'notime.parquet'), 'a, b'));
  await assert.rejects(replay({ file: join(dir, 'events.parquet'), topic, kafka, timeColumn: 'when' }), (e: unknown) => e instanceof SourceError && /has no event-time column "when"/.test(e.message));
  const nowhere = createKafka({ ...testKafkaSettings(), brokers: ['127.0.0.1:1'], connectionTimeoutMs: 500 });
  await assert.rejects(replay({ file: join(dir, 'events.parquet'), topic, kafka: nowhere }), (e: unknown) => e instanceof EnvironmentError && /cannot reach Kafka/.test(e.message));
});

test('--create makes the topic with the requested partitions', async () => {
  const kafka = testKafka();
  const topic = uniqueTopicName('replay-create');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const result = await replay({ file: join(dir, 'events.parquet'), topic, kafka, create: true, partitions: 2 });
    assert.equal(result.createdTopic, true);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    assert.equal(meta.topics[0]?.partitions.length, 2);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
});

test('the CLI: `windowpane replay FILE --topic T --create` prints the final count and the bad rows', async () => {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const topic = uniqueTopicName('replay-cli');
  const brokers = testKafkaSettings().brokers.join(',');
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'windowpane.js'), 'replay', join(dir, 'events.parquet'), '--topic', topic, '--create', '--key-column', 'card'], {
      env: { ...process.env, WINDOWPANE_KAFKA_BROKERS: brokers, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const admin = testKafka().admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^replayed ${N} of ${N + 2} rows to ${topic} \\(created\\) in `));
  assert.match(r.stderr, /^2 bad rows were not sent: 2 × event time \(ts\) missing or unreadable \(rows 100[12], 100[12]\)$/m);
  const missing = await new Promise<number | null>((resolve) => {
    spawn(process.execPath, [join(root, 'bin', 'windowpane.js'), 'replay', join(dir, 'events.parquet')]).on('close', resolve);
  });
  assert.equal(missing, 2, 'no --topic: usage');
});
