/**
 * Hints that work here: a query on a missing topic suggests `windowpane kafka topic create NAME`,
 * and running exactly the suggested command (our CLI, against the real broker) creates the topic, after
 * which the same query starts. The command also lists and deletes topics and says when one exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../../../src/util/paths.js';
import { source, sql } from '../../../src/index.js';
import { isWindowpaneError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';
import { testKafka, testKafkaSettings, uniqueTopicName } from '../../helpers/kafka.js';

const kafka = testKafka();

/** `windowpane <args>` from source in a child process: exit code, stdout and stderr. */
function cli(args: readonly string[]): { code: number | null; out: string; err: string } {
  const code = "const { main } = await import('./src/cli/main.ts'); process.exitCode = await main(process.argv.slice(1));";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, '--', ...args], { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(',') } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function partitions(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

test('the missing-topic hint names a command that creates the topic, after which the query runs', async () => {
  const topic = uniqueTopicName('hint');
  const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', v: 'BIGINT' } });
  const query = () => sql(`SELECT window_start, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: [ev], kafka, until: 'caughtUp' });
  let hint = '';
  await assert.rejects(query(), (e: unknown) => {
    assert.ok(isWindowpaneError(e));
    assert.equal(e.message, messages.liveTopicMissing(topic, 'ev'));
    hint = e.message;
    return true;
  });
  const suggested = /`windowpane ([^`]+)`/.exec(hint)?.[1];
  assert.ok(suggested, `the hint names a windowpane command: ${hint}`);
  assert.ok(!/kafka-topics/.test(hint), 'not a tool the local broker does not ship');
  const r = cli(suggested.split(' '));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`created topic ${topic} \\(1 partition\\)`));
  const q = await query();
  await q.done;
  assert.deepEqual(await q.collect(), []);
  await q.close();
});

test('topic create takes --partitions, says when the topic exists, and topic list / delete work', async () => {
  const topic = uniqueTopicName('cli-topic');
  assert.equal(cli(['kafka', 'topic', 'create', topic, '--partitions', '3']).code, 0);
  assert.equal(await partitions(topic), 3);
  const again = cli(['kafka', 'topic', 'create', topic]);
  assert.equal(again.code, 0);
  assert.ok(again.err.includes(messages.topicExists(topic, 3)), again.err);
  assert.ok(cli(['kafka', 'topic', 'list']).out.split('\n').includes(topic));
  assert.equal(cli(['kafka', 'topic', 'delete', topic]).code, 0);
  const missing = cli(['kafka', 'topic', 'delete', topic]);
  assert.equal(missing.code, 1);
  assert.ok(missing.err.includes(messages.topicNotFound(topic)), missing.err);
  assert.equal(cli(['kafka', 'topic', 'create']).code, 2, 'no name: usage');
});
