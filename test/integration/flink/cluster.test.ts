/**
 * The local Flink cluster for real, in a private state folder: `windowpane flink start` returns
 * once the SQL Gateway answers, with a JobManager and two TaskManagers on loopback only (or uses
 * the cluster WINDOWPANE_FLINK_GATEWAY names, starting nothing); SQL runs
 * through the gateway (window TVFs over VALUES and over Parquet history, a changelog with
 * retractions, a Kafka topic of the test broker through the Kafka connector, a streaming job
 * cancelled by closing its operation); `stop` leaves no process and no port behind.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { FlinkGateway, type FlinkSession } from '../../../src/flink/gateway.js';
import { FlinkError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';
import { isPortFree } from '../../../src/local-kafka/ports.js';
import { isFlinkProcess, type ClusterState } from '../../../src/local-flink/state.js';
import { answersWithStartId } from '../../../src/local-flink/status.js';
import { createTopic, testKafka, testKafkaSettings } from '../../helpers/kafka.js';
import { flinkCli, jobState, listeningSockets } from '../../helpers/flink.js';

const stateDir = mkdtempSync(join(tmpdir(), 'windowpane-flink-'));
let cluster: ClusterState & { started: boolean; startMs: number };
let session: FlinkSession;
const sockets = new Map<number, { address: string; port: number }[]>();

before(async () => {
  cluster = (await flinkCli(stateDir, 'start')) as unknown as typeof cluster;
});

after(async () => {
  await flinkCli(stateDir, 'stop').catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

test('start returns once the gateway answers, with a JobManager and two one-slot TaskManagers', { timeout: 60_000 }, async (t) => {
  t.diagnostic(`windowpane flink start took ${(cluster.startMs / 1000).toFixed(1)}s`);
  assert.equal(cluster.started, true);
  assert.deepEqual(
    cluster.processes.map((p) => p.name),
    ['jobmanager', 'taskmanager-1', 'taskmanager-2', 'sql-gateway'],
  );
  for (const p of cluster.processes) assert.ok(isFlinkProcess(p.pid, p.role), `${p.name} runs`);
  // No waiting here: start has already waited.
  assert.deepEqual(await new FlinkGateway(cluster.gateway).info(), { productName: 'Apache Flink', version: '2.2.1' });
  const overview = (await (await fetch(`${cluster.webUi}/v1/overview`)).json()) as Record<string, number>;
  assert.equal(overview.taskmanagers, 2);
  assert.equal(overview['slots-total'], 2);
  // the JobManager answering on the REST port is this start's: its configuration holds the start's id
  const startId = /^windowpane\.start-id: "?(start-[0-9a-f]+)"?$/m.exec(readFileSync(join(stateDir, 'flink', 'conf', 'config.yaml'), 'utf8'))?.[1];
  assert.ok(startId, 'config.yaml names the start id');
  assert.equal(await answersWithStartId(cluster.webUi, startId), true);
  assert.equal(await answersWithStartId(cluster.webUi, 'another-start'), false);

  const status = await flinkCli(stateDir, 'status');
  assert.equal(status.running, true);
  assert.equal(status.healthy, true);
  const again = await flinkCli(stateDir, 'start');
  assert.equal(again.started, false, 'a second start reuses the running cluster');
  assert.deepEqual(
    (again.processes as { pid: number }[]).map((p) => p.pid),
    cluster.processes.map((p) => p.pid),
  );
});

test('with WINDOWPANE_FLINK_GATEWAY naming a gateway, start uses that cluster and starts nothing', async () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'windowpane-flink-external-'));
  try {
    const r = await flinkCli({ stateDir: elsewhere, gateway: cluster.gateway }, 'start');
    assert.deepEqual(r, { started: false, external: true, gateway: cluster.gateway, flinkVersion: '2.2.1' });
    const s = await flinkCli({ stateDir: elsewhere, gateway: cluster.gateway }, 'status');
    assert.deepEqual(s, { external: true, gateway: cluster.gateway, answering: true, flinkVersion: '2.2.1' });
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('every socket the cluster listens on is bound to 127.0.0.1', () => {
  for (const p of cluster.processes) {
    const listening = listeningSockets(p.pid);
    assert.ok(listening.length > 0, `${p.name} listens`);
    for (const s of listening) assert.match(s.address, /^(::ffff:)?127\.0\.0\.1$/, `${p.name} port ${s.port} on ${s.address}`);
    sockets.set(p.pid, listening);
  }
  const ports = [...sockets.values()].flat().map((s) => s.port);
  for (const port of [cluster.ports.rpc, cluster.ports.rest, cluster.ports.gateway]) assert.ok(ports.includes(port), `port ${port} is open`);
});

test('a tumbling window TVF over VALUES gives the exact rows', { timeout: 180_000 }, async () => {
  session = await new FlinkGateway(cluster.gateway).openSession({ 'execution.runtime-mode': 'batch' }, 'windowpane-test');
  await session.run(`CREATE TEMPORARY VIEW t AS SELECT * FROM (VALUES
      (TIMESTAMP '2024-01-01 00:00:05', 'a', 1), (TIMESTAMP '2024-01-01 00:00:59', 'b', 2),
      (TIMESTAMP '2024-01-01 00:01:00', 'a', 3), (TIMESTAMP '2024-01-01 00:02:30', 'a', 4),
      (TIMESTAMP '2024-01-01 00:02:31', 'b', 5)) AS v(ts, k, x)`);
  const r = await session.run(
    `SELECT window_start, window_end, count(*) AS n, sum(x) AS total
       FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
      GROUP BY window_start, window_end ORDER BY window_start`,
    { timeoutMs: 150_000 },
  );
  assert.deepEqual(
    r.columns.map((c) => `${c.name} ${c.logicalType.type}`),
    ['window_start TIMESTAMP_WITHOUT_TIME_ZONE', 'window_end TIMESTAMP_WITHOUT_TIME_ZONE', 'n BIGINT', 'total INTEGER'],
  );
  assert.deepEqual(r.rows, [
    { kind: 'INSERT', fields: ['2024-01-01T00:00:00', '2024-01-01T00:01:00', 2, 3] },
    { kind: 'INSERT', fields: ['2024-01-01T00:01:00', '2024-01-01T00:02:00', 1, 3] },
    { kind: 'INSERT', fields: ['2024-01-01T00:02:00', '2024-01-01T00:03:00', 2, 9] },
  ]);
  assert.match(r.jobId ?? '', /^[0-9a-f]{32}$/);
});

test('Parquet history read through the filesystem connector', { timeout: 180_000 }, async () => {
  const file = join(stateDir, 'events.parquet');
  const db = await DuckDBInstance.create();
  const c = await db.connect();
  await c.run(`COPY (SELECT TIMESTAMP '2024-01-01' + to_seconds(i * 10) AS ts, CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END AS k, i AS x
                       FROM range(30) t(i)) TO '${file}' (FORMAT parquet)`);
  c.closeSync();
  await session.run(`CREATE TEMPORARY TABLE history (ts TIMESTAMP(6), k STRING, x BIGINT) WITH ('connector' = 'filesystem', 'path' = 'file://${file}', 'format' = 'parquet')`);
  const r = await session.run(
    `SELECT window_start, k, count(*) AS n, sum(x) AS total FROM TABLE(TUMBLE(TABLE history, DESCRIPTOR(ts), INTERVAL '2' MINUTE))
      GROUP BY window_start, window_end, k ORDER BY window_start, k`,
    { timeoutMs: 150_000 },
  );
  // 30 events 10 s apart: 12 per 2-minute window (6 in the last), every third one 'a'
  const expected: unknown[] = [];
  for (let w = 0; w < 3; w++) {
    const xs = Array.from({ length: 30 }, (_, i) => i).filter((i) => Math.floor(i / 12) === w);
    for (const k of ['a', 'b']) {
      const mine = xs.filter((i) => (i % 3 === 0 ? 'a' : 'b') === k);
      expected.push({ kind: 'INSERT', fields: [`2024-01-01T00:0${2 * w}:00`, k, mine.length, mine.reduce((s, i) => s + i, 0)] });
    }
  }
  assert.deepEqual(r.rows, expected);
});

test('a streaming aggregation comes back as a changelog: +I, then -U/+U as a group changes', { timeout: 180_000 }, async () => {
  const streaming = await new FlinkGateway(cluster.gateway).openSession({ 'execution.runtime-mode': 'streaming' });
  try {
    const r = await streaming.run(`SELECT k, count(*) AS n, sum(x) AS total FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) AS v(k, x) GROUP BY k`, { timeoutMs: 150_000 });
    assert.deepEqual(r.rows, [
      { kind: 'INSERT', fields: ['a', 1, 1] },
      { kind: 'INSERT', fields: ['b', 1, 2] },
      { kind: 'UPDATE_BEFORE', fields: ['a', 1, 1] },
      { kind: 'UPDATE_AFTER', fields: ['a', 2, 4] },
    ]);
  } finally {
    await streaming.close();
  }
});

test('a Kafka topic of the test broker, read with the Kafka connector and windowed on event time', { timeout: 240_000 }, async () => {
  const kafka = testKafka();
  const topic = await createTopic({ prefix: 'flink-kafka', partitions: 2, kafka });
  const base = Date.UTC(2024, 0, 1);
  const events = Array.from({ length: 40 }, (_, i) => ({ ts: base + i * 5_000, card: `c${i % 4}`, amount: i }));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: events.map((e) => ({ key: e.card, value: JSON.stringify({ ...e, ts: new Date(e.ts).toISOString().replace('T', ' ').replace('Z', '') }) })) });
  await producer.disconnect();

  const live = await new FlinkGateway(cluster.gateway).openSession({ 'execution.runtime-mode': 'streaming', 'parallelism.default': '2' });
  try {
    await live.run(`CREATE TEMPORARY TABLE payments (ts TIMESTAMP(3), card STRING, amount INT, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH (
        'connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${testKafkaSettings().brokers.join(',')}',
        'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
        'format' = 'json', 'json.timestamp-format.standard' = 'SQL')`);
    const r = await live.run(
      `SELECT window_start, card, count(*) AS n, sum(amount) AS total FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
        GROUP BY window_start, window_end, card`,
      { timeoutMs: 200_000 },
    );
    const expected = new Map<string, { n: number; total: number }>();
    for (const e of events) {
      const key = `${new Date(Math.floor(e.ts / 60_000) * 60_000).toISOString().slice(0, 19)} ${e.card}`;
      const a = expected.get(key) ?? { n: 0, total: 0 };
      expected.set(key, { n: a.n + 1, total: a.total + e.amount });
    }
    const got = r.rows.map((row) => {
      assert.equal(row.kind, 'INSERT', 'a closed window is emitted once');
      const [start, card, n, total] = row.fields as [string, string, number, number];
      return [`${start} ${card}`, { n, total }] as const;
    });
    assert.deepEqual(new Map([...got].sort()), new Map([...expected].sort()));
    assert.equal(got.length, expected.size);
  } finally {
    await live.close();
  }
});

test("closing a streaming query's operation cancels its job", { timeout: 180_000 }, async () => {
  const s = await new FlinkGateway(cluster.gateway).openSession({ 'execution.runtime-mode': 'streaming' });
  try {
    await s.run(`CREATE TEMPORARY TABLE ticks (n BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.n.kind' = 'sequence', 'fields.n.start' = '1', 'fields.n.end' = '1000000')`);
    const op = await s.execute('SELECT n FROM ticks');
    const seen: unknown[] = [];
    for await (const row of op.rows()) {
      seen.push(row.fields[0]);
      if (seen.length >= 5) break;
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    const jobId = op.jobId;
    assert.ok(jobId, 'the result names its job');
    assert.equal(await jobState(cluster.webUi, jobId), 'RUNNING');
    await op.close();
    let state: string | undefined;
    for (let i = 0; i < 100 && state !== 'CANCELED'; i++) {
      state = await jobState(cluster.webUi, jobId);
      await delay(200);
    }
    assert.equal(state, 'CANCELED');
  } finally {
    await s.close();
  }
});

test('stop leaves no process and no port behind; the gateway is then reported down with the fix', { timeout: 90_000 }, async () => {
  await session.close();
  const stopped = await flinkCli(stateDir, 'stop');
  assert.equal(stopped.stopped, true);
  assert.deepEqual(stopped.killed, [], 'every process stopped on SIGTERM');
  for (const p of cluster.processes) assert.equal(isFlinkProcess(p.pid, p.role), false, `${p.name} is gone`);
  for (const [pid, list] of sockets) for (const s of list) assert.equal(await isPortFree(s.port), true, `port ${s.port} of pid ${pid} is released`);
  assert.deepEqual(await flinkCli(stateDir, 'status'), { running: false });
  await assert.rejects(new FlinkGateway(cluster.gateway).openSession(), (e: unknown) => e instanceof FlinkError && e.message === messages.flinkGatewayUnreachable(cluster.gateway, 'ECONNREFUSED'));
});
