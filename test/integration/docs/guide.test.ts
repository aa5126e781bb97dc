/**
 * The user guide's examples (docs/examples/*.ts, included in docs/guide.md) run as a user would run
 * them: `import ... from 'windowpane'` (pointed at this checkout's src/), from the package folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { testKafkaSettings } from '../../helpers/kafka.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'windowpane-guide-'));

async function runExample(name: string): Promise<string> {
  // the copy runs outside the package folder: point its package imports back into it
  const text = readFileSync(join(root, 'docs', 'examples', name), 'utf8')
    .replace(/from 'windowpane'/g, `from '${join(root, 'src', 'index.ts')}'`)
    .replace(/from '@duckdb\/node-api'/g, `from '${import.meta.resolve('@duckdb/node-api')}'`);
  const file = join(dir, name.replace(/\.ts$/, '.mts'));
  writeFileSync(file, text);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    env: { ...process.env, TZ: 'UTC', WINDOWPANE_KAFKA_BROKERS: testKafkaSettings().brokers.join(',') },
    timeout: 120_000,
  });
  return stdout;
}

test('the guide includes every example', () => {
  const guide = readFileSync(join(root, 'docs', 'guide.md'), 'utf8');
  for (const name of ['history-sql.ts', 'history-builder.ts', 'live.ts', 'sessions.ts', 'sinks.ts', 'pipeline.ts', 'joins.ts', 'time-handoff.ts', 'replay.ts']) {
    const code = readFileSync(join(root, 'docs', 'examples', name), 'utf8').trim();
    assert.ok(guide.includes(code), `docs/guide.md must include docs/examples/${name} verbatim`);
  }
});

test('example: SQL over Parquet history', async () => {
  const out = (await runExample('history-sql.ts')).split('\n');
  assert.match(out[0]!, /^\d+ windows$/);
  const first = JSON.parse(out[1]!) as { kind: string; windowStart: number; group: { origin: string } };
  assert.equal(first.kind, 'final');
  assert.equal(first.windowStart, Date.UTC(2001, 0, 1));
  assert.equal(out[2], 'plan:');
});

test('example: the builder with a hopping window and a quantile', async () => {
  const out = (await runExample('history-builder.ts')).split('\n');
  assert.match(out[0]!, /^\d+ windows$/);
  assert.equal((JSON.parse(out[1]!) as { group: { long_haul: boolean } }).group.long_haul, true);
});

test('example: backlog, hand-off, live updates and a dead letter', async () => {
  const out = await runExample('live.ts');
  assert.match(out, /hand-off: backlog; live starts at 0:0/);
  assert.match(out, /final 2024-01-01T00:00:00.000Z home 2/);
  assert.match(out, /final 2024-01-01T00:10:00.000Z cart 1/);
  assert.match(out, /provisional 2024-01-01T00:20:00.000Z home 1/);
  assert.match(out, /dead letters: 1 malformed JSON/);
});

test('example: session windows merge across the hand-off; late data revises or is counted', async () => {
  const out = (await runExample('sessions.ts')).trim().split('\n');
  assert.deepEqual(out, [
    'provisional alice 00:00-00:08 2',
    'provisional bob 00:01-00:06 1',
    'final alice 00:00-00:08 2',
    'final bob 00:01-00:06 1',
    'provisional alice 00:10-00:15 1',
    'final alice 00:10-00:15 1',
    'provisional bob 00:30-00:35 1',
    'retract alice 00:00-00:08 2',
    'revised alice 00:00-00:15 4',
    'retract alice 00:10-00:15 1',
    'final bob 00:30-00:35 1',
    'provisional bob 01:30-01:35 1',
    'final bob 01:30-01:35 1',
    'late: [["00:40",1]] revised: 1 retracted: 2',
  ]);
});

test('example: sinks write a query\'s final rows to a table, Parquet parts and a compacted topic', async () => {
  const out = (await runExample('sinks.ts')).trim().split('\n');
  const rows = /^table: (\d+) rows, 0 files, 0 messages$/.exec(out[0]!)?.[1];
  assert.ok(rows !== undefined && Number(rows) > 100, out[0]);
  assert.equal(out[1], `parquet: ${rows} rows, ${Math.ceil(Number(rows) / 100)} files, 0 messages`);
  assert.equal(out[2], `kafka: ${rows} rows, 0 files, ${rows} messages`);
  assert.deepEqual(JSON.parse(out[3]!), { origin: 'JFK', day: '2001-02-05', avg_delay: 101.8 });
  assert.deepEqual(JSON.parse(out[4]!), [{ n: Number(rows), keys: Number(rows) }]);
});

test('example: a stateless pipeline from the backlog to live into a Kafka sink, with a dead letter', async () => {
  const out = (await runExample('pipeline.ts')).trim().split('\n');
  assert.deepEqual(out, [
    'hand-off: backlog; live starts at 0:0',
    '2024-01-01T00:00:00.000Z ada 110.4',
    '2024-01-01T00:02:00.000Z cy 276',
    '2024-01-01T00:06:00.000Z eve 138',
    'written: 3 dead letters: 1',
  ]);
});

test('example: enrichment with a table and an interval join of two streams, across their hand-offs', async () => {
  const out = (await runExample('joins.ts')).trim().split('\n');
  assert.deepEqual(out, [
    'tier gold 1 30',
    'tier silver 1 20',
    'tier null 1 5',
    '  a = orders (history kafkaBacklog, hand-off: backlog; live starts at 0:0)',
    '  b = payments (history kafkaBacklog, hand-off: backlog; live starts at 0:0)',
    'paid 2024-01-01T00:00:00.000Z 2 50 5',
  ]);
});

test('example: the time hand-off after a CSV file, with overlap', async () => {
  const out = await runExample('time-handoff.ts');
  assert.match(out, /^2024-01-01T00:00:00.000Z home 5\n2024-01-01T00:10:00.000Z cart 1\n2024-01-01T00:10:00.000Z home 1\n2024-01-01T00:20:00.000Z home 1\n/);
  assert.match(out, /hand-off by time at 2024-01-01T00:09:00.000Z: 2 overlapping live events, 0 gaps/);
  assert.match(out, /overlap: 2024-01-01T00:06:00.000Z 2024-01-01T00:09:00.000Z/);
});

test('example: provenance and replay after more records arrived', async () => {
  const out = await runExample('replay.ts');
  assert.match(out, /read \{"0":\[0,4\]\} of guide-orders-\d+ via 1 broker\(s\)/);
  assert.match(out, /replayed \{"0":\[0,4\]\} same rows/);
});
