import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findWindowCall, WINDOWED_PLACEHOLDER } from '../../../../src/engine/sql/windowCall.js';
import { tokenize } from '../../../../src/engine/sql/tokenize.js';
import { compileSql } from '../../../../src/engine/sql/compile.js';
import { parseDuration } from '../../../../src/engine/duration.js';
import { source } from '../../../../src/engine/source/define.js';
import { isWindowpaneError } from '../../../../src/errors.js';

test('the tokenizer keeps strings, quoted names and comments whole', () => {
  const kinds = tokenize(`SELECT 'TUMBLE(' , "hop(" -- tumble(\n/* HOP( */ $$x$$`).filter((t) => t.kind !== 'space').map((t) => t.kind);
  assert.deepEqual(kinds, ['word', 'string', 'comma', 'quoted', 'comment', 'comment', 'string']);
});

test('TUMBLE and HOP calls become the windowed relation, aliased to the source', () => {
  const t = findWindowCall(`SELECT window_start, count(*) FROM tumble(flights, ts, INTERVAL '1 hour') WHERE x > 1 GROUP BY ALL`);
  assert.equal(t.sourceName, 'flights');
  assert.deepEqual(t.window, { kind: 'tumble', timeColumn: 'ts', sizeMs: 3_600_000, offsetMs: 0 });
  assert.equal(t.rewritten, `SELECT window_start, count(*) FROM ${WINDOWED_PLACEHOLDER} AS "flights" WHERE x > 1 GROUP BY ALL`);
  const h = findWindowCall(`SELECT 'TUMBLE(a, b, c)' AS s FROM HOP("Flights", "ts", '15 minutes', '1 hour', '5 minutes') f`);
  assert.deepEqual(h.window, { kind: 'hop', timeColumn: 'ts', sizeMs: 3_600_000, slideMs: 900_000, offsetMs: 300_000 });
  assert.equal(h.sourceName, 'Flights');
  assert.match(h.rewritten, new RegExp(`FROM ${WINDOWED_PLACEHOLDER} f$`));
});

test('bad window calls point at the fault', () => {
  const sql = `SELECT count(*) FROM TUMBLE(flights, ts, 'often')`;
  assert.throws(() => findWindowCall(sql), (e: unknown) => isWindowpaneError(e) && e.code === 'bad-window-call' && e.message.includes(`${sql}\n${' '.repeat(sql.indexOf("'often'"))}^^^^^^^\n`));
  assert.throws(() => findWindowCall('SELECT 1'), (e: unknown) => isWindowpaneError(e) && e.code === 'no-window');
  assert.throws(() => findWindowCall(`SELECT * FROM HOP(f, ts, '1 hour')`), /HOP takes 4 arguments/);
  assert.throws(() => findWindowCall(`SELECT * FROM TUMBLE(f, ts, '1 hour'`), /no closing parenthesis/);
});

test('durations', () => {
  assert.equal(parseDuration('5 seconds', 'x'), 5000);
  assert.equal(parseDuration("INTERVAL '90 minutes'", 'x'), 5_400_000);
  assert.equal(parseDuration('1 hour 30 minutes', 'x'), 5_400_000);
  assert.equal(parseDuration(250, 'x'), 250);
  assert.throws(() => parseDuration('1 month', 'window size'), /invalid window size/);
  assert.throws(() => parseDuration('soon', 'x'), /invalid x/);
});

test('compileSql checks the source name and the event-time column', () => {
  const flights = source({ name: 'flights', time: 'ts', history: { parquet: 'x.parquet' } });
  const plan = compileSql(`SELECT window_start, count(*) FROM TUMBLE(flights, ts, '1 hour') GROUP BY ALL`, { flights });
  assert.equal(plan.kind, 'statement');
  assert.throws(() => compileSql(`SELECT 1 FROM TUMBLE(trains, ts, '1 hour')`, { flights }), /not a source given to it \(known: flights\)/);
  assert.throws(() => compileSql(`SELECT 1 FROM TUMBLE(flights, arrival, '1 hour')`, { flights }), /declares its event time as "ts"/);
});
