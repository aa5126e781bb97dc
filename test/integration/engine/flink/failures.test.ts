/**
 * engine 'flink' when Flink cannot run the query: a gateway that is not there and a job that fails
 * while it runs each end the query with an error that says what happened and where, in the call or
 * in query.done, never a wait without end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { source, sql, isWindowpaneError } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { createTopic, testKafka } from '../../../helpers/kafka.js';
import { testFlinkOptions } from '../../../helpers/flink.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const schema = { ts: 'TIMESTAMP', card: 'VARCHAR', amount: 'BIGINT' } as const;

test('a gateway that is down: the call fails at once with the gateway and the fix in the message', { timeout: 60_000 }, async () => {
  const kafka = testKafka();
  const topic = await createTopic({ kafka, partitions: 1, prefix: 'flink-down' });
  const gateway = `http://127.0.0.1:${await freePort()}`;
  const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema });
  const started = Date.now();
  await assert.rejects(
    sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY window_start`, { sources: [ev], kafka, engine: 'flink', flink: testFlinkOptions({ gateway }) }),
    (e: unknown) => isWindowpaneError(e) && e.code === 'gateway-unreachable' && e.message === messages.flinkGatewayUnreachable(gateway, 'ECONNREFUSED'),
  );
  assert.ok(Date.now() - started < 20_000);
});

test('a job that fails while it runs: query.done rejects with the job, its root cause and where to look', { timeout: 180_000 }, async () => {
  const kafka = testKafka();
  const topic = await createTopic({ kafka, partitions: 1, prefix: 'flink-fail' });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: ['c1', 'c2', 'not a number'].map((card, i) => ({ value: JSON.stringify({ ts: `2024-01-01T00:0${i}:00Z`, card, amount: i }) })) });
  await producer.disconnect();
  const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema });
  // CAST of a text that is not a number fails at run time on both engines
  const q = await sql(`SELECT window_start, sum(CAST(card AS INTEGER)) AS s FROM TUMBLE(ev, ts, '1 minute') GROUP BY window_start`, { sources: [ev], kafka, until: 'caughtUp', engine: 'flink', flink: testFlinkOptions({ restarts: 1 }) });
  const jobId = /job: ([0-9a-f]{32})/.exec(q.explain())![1]!;
  await assert.rejects(q.done, (e: unknown) => isWindowpaneError(e) && e.code === 'flink-job-failed' && e.message.startsWith(`the Flink job ${jobId} failed: `) && /NumberFormatException|cannot be cast|Cannot parse/i.test(e.message) && /#\/job\/running\//.test(e.message));
  await q.close();
});
