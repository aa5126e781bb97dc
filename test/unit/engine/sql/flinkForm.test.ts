import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findWindowCall, WINDOWED_PLACEHOLDER } from '../../../../src/engine/sql/windowCall.js';
import { compileSql } from '../../../../src/engine/sql/compile.js';
import { parseDuration } from '../../../../src/engine/duration.js';
import { source } from '../../../../src/engine/source/define.js';
import { isWindowpaneError } from '../../../../src/errors.js';

test("Flink's window TVF form reads as Windowpane's own call", () => {
  const t = findWindowCall(`SELECT window_start, count(*) FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' HOUR)) GROUP BY window_start, window_end`);
  assert.deepEqual(t.window, { kind: 'tumble', timeColumn: 'ts', sizeMs: 3_600_000, offsetMs: 0 });
  assert.equal(t.rewritten, `SELECT window_start, count(*) FROM ${WINDOWED_PLACEHOLDER} AS "ev" GROUP BY window_start, window_end`);
  const h = findWindowCall(`SELECT * FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES)) AS t WHERE x > 1`);
  assert.deepEqual(h.window, { kind: 'hop', timeColumn: 'ts', sizeMs: 600_000, slideMs: 300_000, offsetMs: 0 });
  assert.equal(h.rewritten, `SELECT * FROM ${WINDOWED_PLACEHOLDER} AS t WHERE x > 1`);
  const c = findWindowCall(`SELECT * FROM TABLE(CUMULATE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '1' HOUR, INTERVAL '0 00:10:00' DAY TO SECOND))`);
  assert.deepEqual(c.window, { kind: 'cumulate', timeColumn: 'ts', stepMs: 60_000, sizeMs: 3_600_000, offsetMs: 600_000 });
});

test('SESSION takes PARTITION BY keys with or without parentheses, in either form', () => {
  const keys = (sql: string) => {
    const w = findWindowCall(sql).window;
    return w.kind === 'session' ? [w.gapMs, ...w.partitionBy] : [];
  };
  assert.deepEqual(keys(`SELECT 1 FROM TABLE(SESSION(TABLE ev PARTITION BY (a, b), DESCRIPTOR(ts), INTERVAL '5' MINUTE))`), [300_000, 'a', 'b']);
  assert.deepEqual(keys(`SELECT 1 FROM TABLE(SESSION(TABLE ev PARTITION BY a, DESCRIPTOR(ts), INTERVAL '5' MINUTE))`), [300_000, 'a']);
  assert.deepEqual(keys(`SELECT 1 FROM SESSION(ev PARTITION BY (a, b), ts, '5 minutes')`), [300_000, 'a', 'b']);
});

test('a TABLE( wrapper without its closing parenthesis points at the call', () => {
  assert.throws(
    () => findWindowCall(`SELECT * FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' HOUR)`),
    (e: unknown) => isWindowpaneError(e) && e.code === 'bad-window-call' && /TABLE\( around the call has no closing parenthesis/.test(e.message),
  );
});

test("compileSql over Flink's form checks the source and its event time as before", () => {
  const ev = source({ name: 'ev', time: 'ts', history: { parquet: 'x.parquet' } });
  const plan = compileSql(`SELECT window_start, count(*) AS n FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' HOUR)) GROUP BY window_start, window_end`, { ev });
  assert.equal(plan.kind, 'statement');
  assert.throws(() => compileSql(`SELECT 1 FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(arrival), INTERVAL '1' HOUR))`, { ev }), /declares its event time as "ts"/);
});

test("qualified intervals: INTERVAL '1' HOUR, HOUR TO MINUTE, DAY TO SECOND(3)", () => {
  assert.equal(parseDuration("INTERVAL '1' HOUR", 'x'), 3_600_000);
  assert.equal(parseDuration("INTERVAL '10' MINUTES", 'x'), 600_000);
  assert.equal(parseDuration("interval '1:30' hour to minute", 'x'), 5_400_000);
  assert.equal(parseDuration("INTERVAL '0 00:00:30.5' DAY TO SECOND(3)", 'x'), 30_500);
  assert.throws(() => parseDuration("INTERVAL '1' MONTH", 'window size'), /invalid window size/);
  assert.throws(() => parseDuration("INTERVAL '1:30' HOUR", 'x'), /invalid x/);
});
