import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowTvf } from '../../../../src/engine/flink/translate.js';
import { finterval, flinkColumn, ftimestamp } from '../../../../src/engine/flink/types.js';
import { offsetList } from '../../../../src/engine/flink/ddl.js';
import { rootChangelogMode } from '../../../../src/engine/flink/job.js';
import { flinkRows, flinkScalar } from '../../../../src/engine/flink/rows.js';
import { deadLetterOf, withDeadLetters } from '../../../../src/engine/flink/deadLetters.js';
import { changelogKey } from '../../../../src/engine/changelog/types.js';

test('intervals and timestamps as exact Flink literals', () => {
  assert.equal(finterval(30 * 60_000), "INTERVAL '0 00:30:00.000' DAY(3) TO SECOND(3)");
  assert.equal(finterval(3 * 86_400_000 + 1_234), "INTERVAL '3 00:00:01.234' DAY(3) TO SECOND(3)");
  assert.equal(finterval(-90_000), "INTERVAL '-0 00:01:30.000' DAY(3) TO SECOND(3)");
  assert.equal(ftimestamp(Date.UTC(2024, 0, 1, 12, 30, 0, 5)), "TIMESTAMP '2024-01-01 12:30:00.005'");
  assert.equal(offsetList(new Map([[1, 7], [0, 42]])), 'partition:0,offset:42;partition:1,offset:7');
});

test('window TVFs: offsets modulo the grid step; a session gap one millisecond shorter (sessions split where the local engine splits)', () => {
  assert.equal(windowTvf({ kind: 'tumble', timeColumn: 'ts', sizeMs: 3_600_000, offsetMs: 0 }, 'ev'), "TABLE(TUMBLE(TABLE `ev`, DESCRIPTOR(`ts`), INTERVAL '0 01:00:00.000' DAY(3) TO SECOND(3)))");
  assert.equal(windowTvf({ kind: 'hop', timeColumn: 'ts', sizeMs: 600_000, slideMs: 300_000, offsetMs: 360_000 }, 'ev'), "TABLE(HOP(TABLE `ev`, DESCRIPTOR(`ts`), INTERVAL '0 00:05:00.000' DAY(3) TO SECOND(3), INTERVAL '0 00:10:00.000' DAY(3) TO SECOND(3), INTERVAL '0 00:01:00.000' DAY(3) TO SECOND(3)))");
  assert.equal(windowTvf({ kind: 'session', timeColumn: 'ts', gapMs: 300_000, partitionBy: ['a', 'b'] }, 'ev'), "TABLE(SESSION(TABLE `ev` PARTITION BY (`a`, `b`), DESCRIPTOR(`ts`), INTERVAL '0 00:04:59.999' DAY(3) TO SECOND(3)))");
});

test('DuckDB types as Flink types; nested types other than a flat STRUCT are refused', () => {
  assert.deepEqual(flinkColumn({ name: 'ts', type: 'TIMESTAMP WITH TIME ZONE' }, 'x'), { name: 'ts', duck: 'TIMESTAMP WITH TIME ZONE', flink: 'TIMESTAMP(3)', stage: `CAST(timezone('UTC', "ts") AS TIMESTAMP)` });
  assert.equal(flinkColumn({ name: 'n', type: 'UINTEGER' }, 'x').stage, 'CAST("n" AS BIGINT)');
  assert.equal(flinkColumn({ name: 'p', type: 'DECIMAL(10,2)' }, 'x').flink, 'DECIMAL(10, 2)');
  assert.equal(flinkColumn({ name: 'b', type: 'STRUCT(id BIGINT, "name" VARCHAR)' }, 'x').flink, 'ROW<`id` BIGINT, `name` STRING>');
  assert.throws(() => flinkColumn({ name: 'tags', type: 'VARCHAR[]' }, 'source ev'), /column tags of source ev is VARCHAR\[\], which engine 'flink' cannot pass to Flink/);
});

test('the root changelog mode of an EXPLAIN CHANGELOG_MODE plan', () => {
  const plan = '== Abstract Syntax Tree ==\nLogicalAggregate(...)\n\n== Optimized Physical Plan ==\nGroupAggregate(groupBy=[k], select=[k, COUNT(*) AS n], changelogMode=[I,UB,UA])\n+- Exchange(distribution=[hash[k]], changelogMode=[I])\n';
  assert.equal(rootChangelogMode(plan), 'I,UB,UA');
  assert.equal(rootChangelogMode('== Optimized Physical Plan ==\nCalc(select=[a], changelogMode=[I])\n'), 'I');
});

test('result rows: final rows by position, timestamps as UTC epoch ms, a session end shifted back', () => {
  const columns = [
    { name: 'window_start', logicalType: { type: 'TIMESTAMP_WITHOUT_TIME_ZONE', nullable: false } },
    { name: 'window_end', logicalType: { type: 'TIMESTAMP_WITHOUT_TIME_ZONE', nullable: false } },
    { name: 'g', logicalType: { type: 'VARCHAR', nullable: true } },
    { name: 'n', logicalType: { type: 'BIGINT', nullable: false } },
  ];
  const shape = { columns: ['window_start', 'window_end', 'g', 'n'], keys: ['g'], values: ['n'], types: {} };
  const rows = flinkRows([{ kind: 'INSERT', fields: ['2024-01-01T00:00:00', '2024-01-01T00:04:59.999', 'a', 3] }], columns, shape, undefined, 1);
  const start = Date.UTC(2024, 0, 1);
  assert.deepEqual(rows, [{ kind: 'final', key: changelogKey(start, start + 300_000, ['a']), windowStart: start, windowEnd: start + 300_000, group: { g: 'a' }, values: { n: 3 } }]);
  assert.throws(() => flinkRows([{ kind: 'UPDATE_AFTER', fields: ['2024-01-01T00:00:00', '2024-01-01T00:05:00', 'a', 4] }], columns, shape, undefined), /Flink sent a UPDATE_AFTER row/);
  assert.equal(flinkScalar('2024-03-01', { name: 'd', logicalType: { type: 'DATE', nullable: true } }), Date.UTC(2024, 2, 1));
});

test('dead letters ride after the result columns, NULL on result rows', () => {
  const sql = withDeadLetters('wp_result', [{ name: 'window_start', type: 'TIMESTAMP(3) NOT NULL' }, { name: 'n', type: 'BIGINT NOT NULL' }], ['SELECT 1']);
  assert.match(sql, /^SELECT r\.`window_start`, r\.`n`, CAST\(NULL AS STRING\) AS `__wp_dead_reason`/);
  assert.match(sql, /UNION ALL SELECT CAST\(NULL AS TIMESTAMP\(3\)\) AS `window_start`, CAST\(NULL AS BIGINT\) AS `n`, d\.`__wp_d_reason`/);
  assert.equal(deadLetterOf({ kind: 'INSERT', fields: ['2024-01-01T00:00:00', 3, null, null, null, null, null, null] }, 2), undefined);
  assert.deepEqual(deadLetterOf({ kind: 'INSERT', fields: [null, null, 'malformed JSON', 1, 42, '2024-01-01T00:00:01', null, '{oops'] }, 2), { reason: 'malformed JSON', partition: 1, offset: 42, timestamp: '2024-01-01T00:00:01', key: null, value: '{oops' });
});
