import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, pacingFrom, parseRate } from '../../../src/replay/pacing.js';
import { ConfigError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';

test('pacing: as fast as possible, by event time sped up, by count', () => {
  const asap = new Pacer(pacingFrom({}));
  assert.equal(asap.dueAt(500, 1_700_000_000_000), 0);
  const sped = new Pacer(pacingFrom({ speedup: 60 }));
  assert.equal(sped.dueAt(0, 1_000_000), 0);
  assert.equal(sped.dueAt(1, 1_000_000 + 60_000), 1000, 'a minute of event time in a second');
  assert.equal(sped.dueAt(2, 1_000_000 + 30_000), 500, 'out-of-order input is not reordered here, only paced');
  const rated = new Pacer(pacingFrom({ rate: 200 }));
  assert.equal(rated.dueAt(0, 0), 0);
  assert.equal(rated.dueAt(100, 0), 500);
});

test('--rate accepts N, N/s and N/min; bad pacing options name the option', () => {
  assert.equal(parseRate('500'), 500);
  assert.equal(parseRate('500/s'), 500);
  assert.equal(parseRate('120/min'), 2);
  assert.throws(() => parseRate('fast'), (e: unknown) => e instanceof ConfigError && e.message === messages.invalidRunOption('--rate', 'fast', 'rows per second such as 500/s (or 30/min)'));
  assert.throws(() => pacingFrom({ speedup: 2, rate: 3 }), (e: unknown) => e instanceof ConfigError && e.message === messages.replayPacing());
  assert.throws(() => pacingFrom({ speedup: 0 }), ConfigError);
  assert.throws(() => pacingFrom({ rate: Number.NaN }), ConfigError);
});
