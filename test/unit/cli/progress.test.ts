import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressOutput } from '../../../src/cli/progress.js';
import { replayProgress } from '../../../src/cli/commands/replay.js';

/** A stream that keeps what is written, and a clock the test moves. */
function terminal(isTTY: boolean): { stream: { isTTY: boolean; write(s: string): boolean }; text: () => string; clock: { now: () => number; at: number } } {
  let out = '';
  const clock = { at: 0, now: () => clock.at };
  return { stream: { isTTY, write: (s: string) => ((out += s), true) }, text: () => out, clock };
}

test('on a terminal: one line redrawn in place, a bar, counts, the elapsed time and an ETA from the pace since the first update', () => {
  const { stream, text, clock } = terminal(true);
  const p = progressOutput(stream, {}, { now: clock.now });
  clock.at = 2000;
  p.update({ label: 'sent', done: 250, total: 1000, unit: 'rows', detail: 'event time 2026-01-01T00:00:00Z' });
  clock.at = 4000;
  p.update({ label: 'sent', done: 500, total: 1000, unit: 'rows' });
  p.end();
  assert.equal(
    text(),
    '\r\x1b[2K[######..................] sent 250/1,000 rows (25%) event time 2026-01-01T00:00:00Z · 2.0s' +
      '\r\x1b[2K[############............] sent 500/1,000 rows (50%) · 4.0s · ETA 4.0s\n',
  );
});

test('without a total: counts and the elapsed time, no bar', () => {
  const { stream, text, clock } = terminal(true);
  const p = progressOutput(stream, {}, { now: clock.now });
  clock.at = 1500;
  p.update({ label: 'fetching the Kafka jars', done: 12, unit: 'jars', detail: '40 MiB' });
  p.log('Kafka 4.1.1 started');
  assert.equal(text(), '\r\x1b[2Kfetching the Kafka jars 12 jars 40 MiB · 1.5s\nKafka 4.1.1 started\n');
});

test('in CI or a pipe: plain lines, a running update at most every plainEveryMs, messages always', () => {
  for (const [isTTY, env] of [[false, {}], [true, { CI: 'true' }]] as const) {
    const { stream, text, clock } = terminal(isTTY);
    const p = progressOutput(stream, env, { now: clock.now, plainEveryMs: 5000 });
    for (let s = 1; s <= 12; s++) {
      clock.at = s * 1000;
      p.update({ label: 'sent', done: s * 100, total: 1200, unit: 'rows' });
    }
    p.log('replayed 1200 rows');
    p.end();
    assert.equal(text(), 'sent 100/1,200 rows (8%) · 1.0s\nsent 600/1,200 rows (50%) · 6.0s · ETA 6.0s\nsent 1,100/1,200 rows (91%) · 11.0s · ETA 1.0s\nreplayed 1200 rows\n', `isTTY ${isTTY}`);
  }
});

test("a replay's progress: a total for the first pass, none when looping", () => {
  assert.deepEqual(replayProgress({ sent: 10, bad: 0, total: 40, eventTime: undefined, elapsedMs: 1, pass: 0 }), { label: 'sent', done: 10, total: 40, unit: 'rows', detail: '' });
  assert.deepEqual(replayProgress({ sent: 90, bad: 2, total: 40, eventTime: '2026-01-01T00:00:00.000Z', elapsedMs: 1, pass: 2 }), { label: 'sent', done: 90, unit: 'rows', detail: '(pass 3) (2 bad) event time 2026-01-01T00:00:00.000Z' });
});
