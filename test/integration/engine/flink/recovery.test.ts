/**
 * Faults on a real Flink cluster of the test's own (a private state folder: the faults break it):
 * a TaskManager killed with SIGKILL while a query runs — the job restarts from its last checkpoint on
 * the other TaskManager and the final rows still equal the batch answer, each window once; and the
 * SQL Gateway killed while a query runs — the query fails with a clear error instead of waiting.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { source, sql, isWindowpaneError, type ChangelogRow } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import type { ClusterState } from '../../../../src/local-flink/state.js';
import { createTopic, testKafka } from '../../../helpers/kafka.js';
import { flinkCli, testFlinkOptions } from '../../../helpers/flink.js';
import { batchAnswer, makeEvents, produce, type TestEvent } from '../events.js';

const stateDir = mkdtempSync(join(tmpdir(), 'windowpane-flink-recovery-'));
let cluster: ClusterState;
const schema = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' } as const;
const AGGS = 'count(*) AS n, sum(v) AS sv';

before(async () => {
  cluster = (await flinkCli(stateDir, 'start')) as unknown as ClusterState;
});

after(async () => {
  await flinkCli(stateDir, 'stop').catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

/** Deterministic events: 4 partitions, a minute or so apart per partition, a little out of order. */
function events(count: number): TestEvent[] {
  const steps = Array.from({ length: count }, (_, i) => ({ p: i % 4, advance: 45_000 + ((i * 7919) % 30_000), back: (i * 104_729) % 60_000, g: i % 3, v: ((i * 31) % 200) - 100, x: 0 }));
  return makeEvents(steps, 4, 60_000);
}

/** The TaskManager whose slot runs a job (each has one), as the cluster's process list names it. */
async function busyTaskManager(): Promise<{ name: string; pid: number }> {
  for (let i = 0; i < 100; i++) {
    const r = (await (await fetch(`${cluster.webUi}/v1/taskmanagers`)).json()) as { taskmanagers: { id: string; freeSlots: number }[] };
    const busy = r.taskmanagers.find((t) => t.freeSlots === 0);
    const p = busy && cluster.processes.find((x) => x.name === busy.id);
    if (p) return p;
    await delay(200);
  }
  throw new Error('no TaskManager runs the job');
}

test('a TaskManager killed with SIGKILL mid-query: the job restores from its checkpoint, and the final rows equal the batch answer, each once', { timeout: 420_000 }, async (t) => {
  const kafka = testKafka();
  const all = events(1200);
  const topic = await createTopic({ kafka, partitions: 4, prefix: 'flink-kill' });
  const next = [0, 0, 0, 0];
  const half = all.length / 2;
  await produce(kafka, topic, all.slice(0, half), next);
  const ends = [0, 0, 0, 0];
  for (const e of all) ends[e.partition]!++;
  const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: 60_000, idleTimeout: '10 minutes', live: { topic, startAt: 'earliest' }, schema });
  const q = await sql(`SELECT window_start, g, ${AGGS} FROM TUMBLE(ev, ts, '10 minutes') GROUP BY window_start, g`, {
    sources: [ev], kafka, until: { offsets: Object.fromEntries(ends.map((o, p) => [p, o])) },
    engine: 'flink', flink: testFlinkOptions({ gateway: cluster.gateway, checkpointInterval: '1 second' }),
  });
  const jobId = /job: ([0-9a-f]{32})/.exec(q.explain())![1]!;
  const t0 = Date.now();
  const changes: ChangelogRow[] = [];
  const reading = (async () => {
    for await (const row of q.changes()) changes.push(row);
  })();
  // rows arrive with checkpoints: once some have, there is a checkpoint to restore
  while (changes.length < 10) await delay(100);
  const victim = await busyTaskManager();
  process.kill(victim.pid, 'SIGKILL');
  t.diagnostic(`killed ${victim.name} (pid ${victim.pid}) after ${changes.length} rows, ${Date.now() - t0} ms after the query started`);
  await produce(kafka, topic, all.slice(half), next);
  const rows = await q.collect();
  await reading;
  t.diagnostic(`all ${rows.length} rows ${Date.now() - t0} ms after the query started`);
  const expected = await batchAnswer(all, 600_000, 600_000, AGGS);
  assert.deepEqual(rows.map((r) => r.key).sort(), [...expected.keys()].sort());
  for (const r of rows) assert.deepEqual({ n: r.values.n, sv: r.values.sv }, { n: expected.get(r.key)!.n, sv: expected.get(r.key)!.sv }, r.key);
  assert.equal(changes.length, rows.length, 'every window came once: nothing lost, nothing repeated');
  const history = (await (await fetch(`${cluster.webUi}/v1/jobs/${jobId}/exceptions`)).json()) as { exceptionHistory: { entries: { taskManagerLocation?: { resourceID?: string } | null; exceptionName: string }[] } };
  assert.ok(history.exceptionHistory.entries.length > 0, 'the job failed over');
  const job = (await (await fetch(`${cluster.webUi}/v1/jobs/${jobId}`)).json()) as { state: string };
  assert.equal(job.state, 'FINISHED');
  await q.close();
});

test('the SQL Gateway killed while a query runs: the query fails with an error naming the gateway, not a hang', { timeout: 180_000 }, async () => {
  const kafka = testKafka();
  const topic = await createTopic({ kafka, partitions: 1, prefix: 'flink-gateway' });
  await produce(kafka, topic, events(20).map((e) => ({ ...e, partition: 0 })), [0]);
  const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema });
  const q = await sql(`SELECT window_start, ${AGGS} FROM TUMBLE(ev, ts, '10 minutes') GROUP BY window_start`, { sources: [ev], kafka, engine: 'flink', flink: testFlinkOptions({ gateway: cluster.gateway }) });
  const gateway = cluster.processes.find((p) => p.role === 'sql-gateway')!;
  process.kill(gateway.pid, 'SIGKILL');
  const started = Date.now();
  // the request in flight is reset, or the next one refused
  await assert.rejects(q.done, (e: unknown) => isWindowpaneError(e) && e.code === 'gateway-unreachable' && ['ECONNRESET', 'ECONNREFUSED'].some((why) => e.message === messages.flinkGatewayUnreachable(cluster.gateway, why)));
  assert.ok(Date.now() - started < 60_000, 'the failure shows within a minute');
  await assert.rejects(q.collect(), /cannot reach the Flink SQL Gateway/);
  await q.close();
});
