/** What the sampler derives between readings: events/s, the ETA of the history and of the hand-off, the lag in seconds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusSampler } from '../../../../src/chart/status/sampler.js';
import { statusText } from '../../../../src/chart/status/line.js';
import { FakeQuery, progress, T0 } from './fake-query.js';

const item = (text: string, name: string) => text.split(' · ').find((t) => t.startsWith(name));

test('events/s over the last seconds of readings', () => {
  const q = new FakeQuery();
  const s = new StatusSampler(q);
  q.current = progress({ at: T0, events: 0 });
  assert.equal(s.sample().items.some((i) => i.name === 'rate'), false, 'one reading: no rate yet');
  q.current = progress({ at: T0 + 1000, events: 500 });
  assert.equal(item(statusText(s.sample()), '500'), '500 events/s');
  for (let t = 2000; t <= 10_000; t += 1000) {
    q.current = progress({ at: T0 + t, events: 500 + (t - 1000) * 2 });
    s.sample();
  }
  assert.equal(statusText(s.sample()).includes('2,000 events/s'), true, 'the old readings fell out of the window');
});

test('the history ETA from its fraction and the time it has taken', () => {
  const q = new FakeQuery();
  q.current = progress({ phase: 'history', at: T0 + 2000, startedAt: T0, history: { rows: 100, fraction: 0.25 } });
  const s = new StatusSampler(q);
  assert.match(statusText(s.sample()), /^history 25% · 100 rows · ETA 6 s/, 'a quarter in two seconds: six to go');
  q.current = progress({ phase: 'history', at: T0 + 4000, startedAt: T0, history: { rows: 200, fraction: 0.5 } });
  assert.match(statusText(s.sample()), /^history 50% · 200 rows · ETA 4 s/);
});

test('the hand-off ETA from the lag and the rate', () => {
  const q = new FakeQuery();
  const s = new StatusSampler(q);
  q.current = progress({ phase: 'handoff', at: T0, events: 0, topic: { topics: ['t'], lag: 3000, end: 3000, position: 0 } });
  s.sample();
  q.current = progress({ phase: 'handoff', at: T0 + 1000, events: 1000, topic: { topics: ['t'], lag: 2000, end: 3000, position: 1000 } });
  assert.match(statusText(s.sample()), /^hand-off · ETA 2 s · /);
});

test('the lag in seconds: how long ago the topic end was where the query reads now', () => {
  const q = new FakeQuery();
  const s = new StatusSampler(q);
  const at = (t: number, end: number, position: number) => {
    q.current = progress({ at: T0 + t, events: position, topic: { topics: ['t'], lag: end - position, end, position } });
    return item(statusText(s.sample()), 'lag');
  };
  assert.equal(at(0, 100, 0), 'lag 100 events (≥ 0 s)', 'what the topic held at the first reading is at least that old');
  assert.equal(at(1000, 200, 50), 'lag 150 events (≥ 1 s)');
  assert.equal(at(2000, 300, 150), 'lag 150 events (1 s)', 'offset 150 arrived between the readings at 0 s and 1 s');
  assert.equal(at(5000, 300, 300), 'lag 0 events (0 s)');
});
