/** A run's outages: warnings when the broker goes and comes back, stats, the stream clock that stands still meanwhile, the run's end after the timeout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import type { WindowpaneError } from '../../../../src/errors.js';
import { Outages } from '../../../../src/engine/run/outage.js';
import { messages } from '../../../../src/messages.js';

const refused = (): Error => Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9'), { name: 'KafkaJSConnectionError', broker: '127.0.0.1:9' });

test('an input outage warns twice, shows in stats and stops the stream clock', async () => {
  const warnings: string[] = [];
  const failures: WindowpaneError[] = [];
  const o = new Outages(60_000, (m) => warnings.push(m), (e) => failures.push(e));
  const positions = new Map([[1, 7], [0, 5]]);
  const w = o.watch({ kind: 'source', source: 'ev', topic: 'events', brokers: '127.0.0.1:9', positions: () => positions });
  assert.deepEqual(o.stats(), { state: 'connected', outages: 0, downMs: 0, timeoutMs: 60_000 });
  w.failed(refused());
  const atDown = o.now();
  assert.equal(warnings[0], messages.brokerDownReading('ev', '127.0.0.1:9', 'Connection error: connect ECONNREFUSED 127.0.0.1:9', 'events', '0:5, 1:7', 60_000));
  const s = o.stats();
  assert.equal(s.state, 'unreachable');
  assert.equal(s.outages, 1);
  assert.equal(s.lastError, 'Connection error: connect ECONNREFUSED 127.0.0.1:9');
  assert.ok(typeof s.since === 'number');
  await delay(120);
  assert.ok(o.now() - atDown < 20, 'the clock stands still while the input is cut off');
  w.answered();
  assert.match(warnings[1]!, /^source "ev": Kafka at 127\.0\.0\.1:9 answers again after 0\.\d s; reading topic "events" resumed at offsets 0:5, 1:7\.$/);
  const after = o.stats();
  assert.equal(after.state, 'connected');
  assert.ok(after.downMs >= 100);
  await delay(50);
  assert.ok(o.now() - atDown >= 40, 'the clock runs again');
  assert.deepEqual(failures, []);
});

test('a sink outage does not stop the clock; a broker gone for the timeout ends the run with broker-lost', async () => {
  const failures: WindowpaneError[] = [];
  let failed: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (failed = resolve));
  const warnings: string[] = [];
  const o = new Outages(40, (m) => warnings.push(m), (e) => {
    failures.push(e);
    failed();
  });
  const w = o.watch({ kind: 'sink', topic: 'out', brokers: 'the given Kafka client' });
  w.failed(refused());
  assert.equal(warnings[0], messages.brokerDownSink('out', '127.0.0.1:9', 'Connection error: connect ECONNREFUSED 127.0.0.1:9', 40), 'the failing broker is named');
  const t0 = o.now();
  await ended;
  assert.ok(o.now() - t0 >= 30);
  assert.equal(failures[0]!.code, 'broker-lost');
  assert.equal(o.stats().state, 'lost');
});
