/**
 * Replay throughput: rows per second from a Parquet file into a topic, as fast as possible.
 * Baselines from the same run: a bare kafkajs producer sending the same JSON values already in
 * memory (the floor of the Kafka side), and reading + encoding the file with DuckDB without sending.
 * Printed, never asserted. Needs a broker (windowpane kafka start).
 *   node --import tsx bench/replay.ts [rows] [repeats]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Message } from 'kafkajs';
import { kafkaClient } from '../src/kafka/connect.js';
import { replay } from '../src/replay/replay.js';
import { openSource } from '../src/replay/source.js';
import { fmt, printTable, summarize } from './stats.js';
import { createTopicAndWait } from '../src/kafka/admin.js';

const rows = Number(process.argv[2] ?? 100_000);
const repeats = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'windowpane-bench-replay-'));
const file = join(dir, 'events.parquet');
const kafka = kafkaClient();
const admin = kafka.admin();
await admin.connect();
const topics: string[] = [];
const freshTopic = async () => {
  const topic = `bench-replay-${topics.length}-${process.pid}`;
  await createTopicAndWait(admin, { topic, partitions: 1 });
  topics.push(topic);
  return topic;
};

try {
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  await conn.run(`COPY (SELECT i AS id, TIMESTAMP '2024-01-01' + ((i * 7919) % ${rows}) * INTERVAL 1 SECOND AS ts, 'card-' || (i % 100) AS card, round(random() * 500, 2) AS amount FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.closeSync();
  duck.closeSync();

  const ours: number[] = [];
  const readOnly: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < repeats; i++) {
    // windowpane replay, end to end
    const result = await replay({ file, topic: await freshTopic(), kafka });
    ours.push(result.sent / (result.durationMs / 1000));

    // DuckDB read + sort + JSON encoding only; keeps the values for the bare producer below
    const t0 = performance.now();
    const source = await openSource(file);
    const values: Message[] = [];
    for await (const chunk of source.rows()) for (const r of chunk) values.push({ key: r.key, value: r.value, timestamp: String(r.ms) });
    source.close();
    readOnly.push(values.length / ((performance.now() - t0) / 1000));

    // bare kafkajs producer, same messages, same batch size, already in memory
    const topic = await freshTopic();
    const producer = kafka.producer();
    await producer.connect();
    const t1 = performance.now();
    for (let j = 0; j < values.length; j += 1000) await producer.send({ topic, messages: values.slice(j, j + 1000), acks: -1 });
    bare.push(values.length / ((performance.now() - t1) / 1000));
    await producer.disconnect();
  }
  const o = summarize(ours);
  const b = summarize(bare);
  printTable(`Replay of ${rows} rows (Parquet → JSON → Kafka, 1 partition, acks=all)`, [
    { case: 'windowpane replay, end to end', ours: fmt(o, 'rows/s', 0), baseline: `bare kafkajs producer ${fmt(b, 'rows/s', 0)}`, ratio: o.median / b.median },
    { case: 'DuckDB read, order, encode (no Kafka)', ours: fmt(summarize(readOnly), 'rows/s', 0), baseline: '' },
  ]);
} finally {
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  rmSync(dir, { recursive: true, force: true });
}
