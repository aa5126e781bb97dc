/** Stateless plans and SQL, and sink options: what is accepted, what is refused, with which message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, isWindowpaneError, kafkaSink, parquetSink, source, tableSink, tumble } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { compilePipelineSql, selectsColumns, statelessSource } from '../../../../src/engine/pipeline/compile.js';
import { WINDOWED_PLACEHOLDER } from '../../../../src/engine/sql/windowCall.js';

const ev = source({ name: 'ev', time: 'ts', live: { topic: 't' }, schema: { ts: 'TIMESTAMP', v: 'BIGINT' } });

test('pipeline SQL: the source in FROM becomes the relation, aliased to its name unless it has an alias', () => {
  const plan = compilePipelineSql(`SELECT v FROM ev WHERE v > 1 -- from ev\n`, [ev]);
  assert.equal(plan.kind, 'statement');
  assert.equal(plan.kind === 'statement' && plan.sql, `SELECT v FROM ${WINDOWED_PLACEHOLDER} AS "ev" WHERE v > 1 -- from ev\n`);
  const aliased = compilePipelineSql(`SELECT e.v FROM "EV" e JOIN dims d ON d.v = e.v`, { ev });
  assert.equal(aliased.kind === 'statement' && aliased.sql, `SELECT e.v FROM ${WINDOWED_PLACEHOLDER} e JOIN dims d ON d.v = e.v`);
  assert.equal(statelessSource(aliased).name, 'ev');
  assert.equal(selectsColumns(aliased), true);
});

test('pipeline SQL and plans that are not stateless are refused with the catalogue message', () => {
  const windowed = `SELECT window_start, count(*) FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`;
  assert.throws(() => compilePipelineSql(windowed, [ev]), (e: unknown) => isWindowpaneError(e) && e.message === messages.pipelineWindowCall(windowed));
  assert.throws(() => compilePipelineSql('SELECT 1 FROM other', [ev]), (e: unknown) => isWindowpaneError(e) && e.message === messages.pipelineNoSource('SELECT 1 FROM other', 'ev'));
  const grouped = from(ev).window(tumble('ts', '1 minute')).aggregate({ n: 'count(*)' }).plan();
  assert.throws(() => statelessSource(grouped), (e: unknown) => isWindowpaneError(e) && e.message === messages.pipelineStateful('a "aggregate" step'));
  const chain = from(ev).filter('v > 0').derive({ w: 'v * 2' }).plan();
  assert.equal(statelessSource(chain).name, 'ev');
  assert.equal(selectsColumns(chain), false);
});

test('sink options are validated once, with defaults', () => {
  assert.deepEqual(kafkaSink({ topic: 'out' }), { kind: 'kafka', topic: 'out', mode: 'final', eventTime: false });
  assert.deepEqual(tableSink({ table: 'results', mode: 'changelog' }), { kind: 'table', table: 'results', mode: 'changelog' });
  assert.deepEqual(parquetSink({ dir: 'out', flushEvery: '1 minute' }), { kind: 'parquet', dir: 'out', mode: 'final', rowsPerFile: 100_000, flushEveryMs: 60_000, overwrite: false });
  assert.throws(() => kafkaSink({ topic: '' }), (e: unknown) => isWindowpaneError(e) && e.message === messages.invalidSinkOption('kafkaSink', 'topic', 'expected a non-empty string'));
  assert.throws(() => tableSink({ table: 't', mode: 'upsert' as 'final' }), (e: unknown) => isWindowpaneError(e) && e.message === messages.invalidSinkOption('tableSink', 'mode', `"upsert" is not 'final' or 'changelog'`));
  assert.throws(() => parquetSink({ dir: 'd', rowsPerFile: 0 }), (e: unknown) => isWindowpaneError(e) && e.code === 'invalid-sink');
});
