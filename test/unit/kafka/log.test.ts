/**
 * Kafka client logs reach the user as our own one-line warnings: routine retries (a coordinator
 * loading, a leader being elected, a broker still starting) are dropped, the rest is said in words,
 * never as kafkajs' raw JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logLevel } from 'kafkajs';
import { kafkaLogLine } from '../../../src/kafka/client.js';
import { setLogSink, warn } from '../../../src/util/log.js';

const entry = (namespace: string, level: logLevel, log: Record<string, unknown>) => ({ namespace, level, log: { timestamp: '2026-01-01T00:00:00.000Z', ...log } as never });

test('routine retries are not reported', () => {
  // the line `npm start` used to print while the demo producer started on a fresh broker
  assert.equal(kafkaLogLine(entry('Connection', logLevel.ERROR, { message: 'Response InitProducerId(key: 22, version: 1)', broker: '127.0.0.1:9092', clientId: 'windowpane', error: "The coordinator is loading and hence can't process requests", correlationId: 1, size: 28 })), undefined);
  assert.equal(kafkaLogLine(entry('Connection', logLevel.ERROR, { message: 'Response Metadata(key: 3, version: 6)', error: 'There is no leader for this topic-partition as we are in the middle of a leadership election' })), undefined);
  assert.equal(kafkaLogLine(entry('Connection', logLevel.ERROR, { message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092' })), undefined);
  assert.equal(kafkaLogLine(entry('Consumer', logLevel.INFO, { message: 'Starting', groupId: 'g' })), undefined, 'below a warning');
});

test('other warnings and errors become one line in our words', () => {
  const line = kafkaLogLine(entry('Producer', logLevel.ERROR, { message: '[Producer] Failed to send messages', error: 'Message size too large', retryCount: 5 }));
  assert.equal(line, 'Kafka producer: Failed to send messages: Message size too large');
  const denied = kafkaLogLine(entry('Connection', logLevel.ERROR, { message: 'Response DescribeConfigs(key: 32, version: 2)', error: 'Not authorized to access topics: [Topic authorization failed]', broker: 'b1:9093' }));
  assert.equal(denied, 'Kafka connection: Response DescribeConfigs(key: 32, version: 2): Not authorized to access topics: [Topic authorization failed] (broker b1:9093)');
  assert.ok(!/[{}]/.test(`${line}${denied}`), 'no JSON');
});

test('a refused login is not logged: it reaches the caller as a broker-auth error of its own', () => {
  assert.equal(kafkaLogLine(entry('Connection', logLevel.ERROR, { message: 'SASL SCRAM SHA512 authentication failed', broker: 'b1:9093' })), undefined);
  const response = { message: 'Response SaslAuthenticate(key: 36, version: 1)', error: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512' };
  assert.equal(kafkaLogLine(entry('Connection', logLevel.ERROR, response)), undefined);
});

test("a consumer's crash and the sink's limited retries are not logged: the reader's watch and the sink report them", () => {
  assert.equal(kafkaLogLine(entry('Consumer', logLevel.ERROR, { message: 'Crash: KafkaJSNoBrokerAvailableError: No broker available', groupId: 'windowpane-1' })), undefined);
  assert.equal(kafkaLogLine(entry('Producer', logLevel.WARN, { message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees' })), undefined);
});

test('warnings go through the library logger, which a program can take over', () => {
  const lines: string[] = [];
  setLogSink((l) => lines.push(l));
  try {
    warn('Kafka producer: Failed to send messages');
  } finally {
    setLogSink(undefined);
  }
  assert.deepEqual(lines, ['windowpane: Kafka producer: Failed to send messages']);
});
