/** BrokerWatch: an outage begins at the first failure, ends at the next answer, and is given up after the timeout or at once when no retry can help. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaError, type WindowpaneError } from '../../../src/errors.js';
import { BrokerWatch, clientWhy } from '../../../src/kafka/watch.js';
import { messages } from '../../../src/messages.js';

/** A socket failure as kafkajs reports a dead broker. */
function refused(): Error {
  return Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9'), { name: 'KafkaJSConnectionError', broker: '127.0.0.1:9' });
}

function recorder() {
  const seen: string[] = [];
  let lost: (e: WindowpaneError) => void = () => undefined;
  const gone = new Promise<WindowpaneError>((resolve) => (lost = resolve));
  return {
    seen,
    gone,
    events: {
      down: (e: KafkaError) => void seen.push(`down ${e.code}`),
      up: () => void seen.push('up'),
      lost: (e: WindowpaneError) => {
        seen.push(`lost ${e.code}`);
        lost(e);
      },
    },
  };
}

test('an outage starts once, waits longer between attempts, and ends at the next answer', () => {
  const r = recorder();
  const w = new BrokerWatch({ brokers: '127.0.0.1:9', topic: 't' }, 60_000, r.events);
  w.answered(); // no outage: nothing to report
  const waits = [w.failed(refused()), w.failed(refused()), w.failed(refused()), w.failed(refused()), w.failed(refused()), w.failed(refused())];
  assert.deepEqual(waits, [250, 500, 1000, 2000, 2000, 2000]);
  assert.equal(w.health.state, 'unreachable');
  w.answered();
  assert.equal(w.health.state, 'connected');
  assert.equal(w.failed(refused()), 250, 'a new outage starts the back-off again');
  w.close();
  assert.deepEqual(r.seen, ['down broker-unreachable', 'up', 'down broker-unreachable']);
});

test('a broker away for the whole timeout is given up with broker-lost, naming the broker, the topic and the option', async () => {
  const r = recorder();
  const w = new BrokerWatch({ brokers: '127.0.0.1:9', topic: 'events' }, 50, r.events);
  assert.ok(w.failed(refused()) !== undefined);
  const e = await r.gone;
  assert.ok(e instanceof KafkaError);
  assert.equal(e.code, 'broker-lost');
  assert.equal(e.retriable, true);
  assert.equal(e.message, messages.brokerLost('127.0.0.1:9', 'events', 50, 'Connection error: connect ECONNREFUSED 127.0.0.1:9'));
  assert.match(e.message, /brokerTimeout/);
  assert.equal(w.gaveUp, true);
  assert.equal(w.failed(refused()), undefined, 'no more attempts once given up');
  w.answered();
  assert.deepEqual(r.seen, ['down broker-unreachable', 'lost broker-lost']);
});

test('a failure no retry can mend is given up at once, as its own error', async () => {
  const r = recorder();
  const w = new BrokerWatch({ brokers: '127.0.0.1:9' }, 60_000, r.events);
  const denied = Object.assign(new Error('Topic authorization failed'), { name: 'KafkaJSProtocolError', type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false });
  assert.equal(w.failed(denied), undefined);
  const e = await r.gone;
  assert.equal(e.code, 'broker-refused');
  assert.equal(clientWhy(e), 'Topic authorization failed');
  assert.deepEqual(r.seen, ['lost broker-refused']);
});

test('close() stops the timeout', async () => {
  const r = recorder();
  const w = new BrokerWatch({ brokers: '127.0.0.1:9' }, 20, r.events);
  w.failed(refused());
  w.close();
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(r.seen, ['down broker-unreachable']);
});

test('a broker that answers "busy" (a coordinator loading) is retried without a warning', () => {
  const r = recorder();
  const w = new BrokerWatch({ brokers: '127.0.0.1:9' }, 60_000, r.events);
  const loading = Object.assign(new Error("The coordinator is loading and hence can't process requests for this group"), { name: 'KafkaJSProtocolError', type: 'COORDINATOR_LOAD_IN_PROGRESS', retriable: true });
  assert.equal(w.failed(loading), 250);
  assert.equal(w.health.state, 'unreachable');
  w.answered();
  assert.deepEqual(r.seen, []);
  // busy, then unreachable: told once the broker is really away
  w.failed(loading);
  w.failed(refused());
  w.close();
  assert.deepEqual(r.seen, ['down broker-unreachable']);
});
