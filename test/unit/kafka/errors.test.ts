/** Real kafkajs errors (and bare socket errors) classified through the tables of src/kafka/errors.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { EnvironmentError, KafkaError, QueryError } from '../../../src/errors.js';
import { kafkaErrorCode, toKafkaError } from '../../../src/kafka/errors.js';
import { createKafka } from '../../../src/kafka/client.js';
import { saslOptions } from '../../../src/config/settings.js';
import { messages } from '../../../src/messages.js';

const {
  KafkaJSBrokerNotFound,
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
} = kafkajs;
/** At run time, though missing from kafkajs's type declarations. */
const { KafkaJSConnectionClosedError } = kafkajs as unknown as Record<string, unknown>;

/** Some kafkajs classes are typed with no constructor arguments though they take a message. */
const make = (C: unknown, ...args: unknown[]): Error => new (C as new (...a: unknown[]) => Error)(...args);

/** What kafkajs's protocol/error.js builds from a Kafka server error code. */
const serverError = (type: string, code: number, retriable: boolean, message: string) => new KafkaJSProtocolError(Object.assign(new Error(message), { type, code, retriable }));

const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1', { broker: '127.0.0.1:1', code: 'ECONNREFUSED' });

test('a refused connection is a retriable broker-unreachable KafkaError naming the broker', () => {
  const e = toKafkaError(refused, { topic: 'events' });
  assert.ok(e instanceof KafkaError && e instanceof EnvironmentError);
  assert.equal(e.code, 'broker-unreachable');
  assert.equal(e.retriable, true);
  assert.equal(e.message, messages.brokerUnreachable('127.0.0.1:1', 'Connection error: connect ECONNREFUSED 127.0.0.1:1'));
  assert.match(e.message, /windowpane kafka start/);
  assert.deepEqual(e.context, { broker: '127.0.0.1:1', topic: 'events' });
  assert.equal(e.cause, refused);
});

test('the brokers the caller names win over the one the error names', () => {
  const e = toKafkaError(refused, { brokers: 'a:9092,b:9092' });
  assert.ok(e instanceof KafkaError);
  assert.equal(e.message, messages.brokerUnreachable('a:9092,b:9092', refused.message));
});

test("kafkajs's spent retries wrap the last error: the wrapped error decides", () => {
  const spent = new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 8000 });
  assert.equal(spent.retriable, false, "kafkajs says it will not retry again");
  const e = toKafkaError(spent);
  assert.ok(e instanceof KafkaError);
  assert.equal(e.code, 'broker-unreachable');
  assert.equal(e.retriable, true, 'the broker may come back: a later call may succeed');
  assert.equal(e.message, messages.brokerUnreachable('127.0.0.1:1', refused.message));
});

test('each kafkajs error maps to its code and its retriable flag', () => {
  const cases: [Error, string, boolean][] = [
    [refused, 'broker-unreachable', true],
    [make(KafkaJSConnectionClosedError, 'Closed connection', { host: '10.0.0.1', port: 9092 }), 'broker-unreachable', true],
    [new KafkaJSConnectionError('Connection timeout', { broker: 'k:9092' }), 'broker-unreachable', true],
    [make(KafkaJSBrokerNotFound, 'Broker 3 not found in the cached metadata'), 'broker-unreachable', true],
    [new KafkaJSRequestTimeoutError('Request Metadata(key: 3, version: 6) timed out', { broker: 'k:9092', clientId: 'windowpane', correlationId: 1, createdAt: 0, sentAt: 0, pendingDuration: 0 }), 'broker-timeout', true],
    [serverError('LEADER_NOT_AVAILABLE', 5, true, 'There is no leader for this topic-partition as we are in the middle of a leadership election'), 'broker-busy', true],
    [serverError('UNKNOWN_TOPIC_OR_PARTITION', 3, true, 'This server does not host this topic-partition'), 'broker-busy', true],
    [serverError('TOPIC_AUTHORIZATION_FAILED', 29, false, 'Not authorized to access topics: [Topic authorization failed]'), 'broker-refused', false],
    [make(KafkaJSSASLAuthenticationError, 'SASL PLAIN authentication failed: Authentication failed'), 'broker-auth', false],
    [new KafkaJSNonRetriableError('Invalid topics array, the topic names have to be a valid string'), 'kafka-failed', false],
    [new KafkaJSError('something else'), 'kafka-failed', false],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' }), 'broker-unreachable', true],
    [Object.assign(new Error('getaddrinfo ENOTFOUND kafka'), { code: 'ENOTFOUND' }), 'broker-unreachable', true],
    [Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'broker-timeout', true],
  ];
  for (const [error, code, retriable] of cases) {
    assert.equal(kafkaErrorCode(error), code, error.message);
    const e = toKafkaError(error);
    assert.ok(e instanceof KafkaError, error.message);
    assert.equal(e.code, code);
    assert.equal(e.retriable, retriable, error.message);
    assert.ok(e.message.includes(error.message), e.message);
  }
});

test('our own errors and errors of other kinds pass through unchanged', () => {
  const ours = new QueryError('sql-invalid', 'bad SQL');
  assert.equal(toKafkaError(ours), ours);
  const bug = new TypeError('x is undefined');
  assert.equal(toKafkaError(bug), bug);
  assert.equal(kafkaErrorCode(bug), undefined);
  assert.equal(toKafkaError('a string'), 'a string');
});

test('a refused login names the user and mechanism the client was made with, and where to fix the password', () => {
  createKafka({ brokers: ['auth.example:9096'], clientId: 'windowpane', sasl: saslOptions('scram-sha-256', 'analyst', 'not-this') });
  const e = toKafkaError(make(KafkaJSSASLAuthenticationError, 'SASL SCRAM SHA256 authentication failed'), { brokers: 'auth.example:9096' });
  assert.ok(e instanceof KafkaError);
  assert.equal(e.message, messages.brokerAuth('auth.example:9096', 'SASL SCRAM SHA256 authentication failed', 'user "analyst" (scram-sha-256)'));
  assert.match(e.message, /WINDOWPANE_KAFKA_PASSWORD/);
  assert.ok(!e.message.includes('not-this'));
});
