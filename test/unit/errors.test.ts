/** The error code table: codes are a closed union, and `retriable` comes from the table alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  asError,
  ConfigError,
  EnvironmentError,
  ERROR_CODES,
  InternalError,
  isErrorCode,
  isWindowpaneError,
  KafkaError,
  QueryError,
  SinkError,
  WindowpaneError,
  type ErrorCode,
} from '../../src/index.js';
import { messages } from '../../src/messages.js';

test('every code in the table says whether a retry can help', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  assert.ok(codes.length > 50);
  for (const code of codes) {
    assert.match(code, /^[a-z0-9]+([.-][a-z0-9]+)*$/, code);
    assert.ok([true, false, 'cause'].includes(ERROR_CODES[code].retriable), code);
  }
  // broker, gateway and network failures (and downloads) may pass by themselves; everything the user must fix may not
  const retriable = codes.filter((c) => ERROR_CODES[c].retriable === true).sort();
  assert.deepEqual(retriable, ['broker-busy', 'broker-lost', 'broker-not-ready', 'broker-timeout', 'broker-unreachable', 'gateway-unreachable', 'jupyter-unreachable', 'maven-failed', 'not-ready', 'pip-failed', 'statement-timeout', 'topic-leaders']);
  assert.equal(isErrorCode('no-window'), true);
  assert.equal(isErrorCode('no-windw'), false);
  assert.equal(isErrorCode('toString'), false);
});

test('an error takes its retriable flag from its code, whatever its class', () => {
  assert.equal(new QueryError('no-window', 'm').retriable, false);
  assert.equal(new KafkaError('broker-unreachable', 'm').retriable, true);
  assert.equal(new EnvironmentError('broker-unreachable', 'm').retriable, true);
  assert.equal(new ConfigError('invalid-env', 'm').retriable, false);
  const e = new KafkaError('broker-timeout', 'm', { cause: 'x', context: { topic: 't', partition: 2, offset: 7 } });
  assert.ok(e instanceof EnvironmentError && e instanceof WindowpaneError && isWindowpaneError(e));
  assert.equal(e.name, 'KafkaError');
  assert.equal(e.code, 'broker-timeout');
  assert.equal(e.cause, 'x');
  assert.deepEqual(e.context, { topic: 't', partition: 2, offset: 7 });
});

test("a wrapping code ('cause') is retriable exactly when what it wraps is", () => {
  assert.equal(new SinkError('sink-write-failed', 'm', { cause: new KafkaError('broker-unreachable', 'down') }).retriable, true);
  assert.equal(new SinkError('sink-write-failed', 'm', { cause: new KafkaError('broker-refused', 'no') }).retriable, false);
  assert.equal(new SinkError('sink-write-failed', 'm', { cause: new Error('disk full') }).retriable, false);
  assert.equal(new SinkError('sink-write-failed', 'm').retriable, false);
});

test('codes outside the table, and a retriable flag from the call site, do not compile', () => {
  // @ts-expect-error: 'no-windw' is not a code of the table
  const typo = new QueryError('no-windw', 'm');
  // @ts-expect-error: retriable is the table's to say, not the caller's
  const forced = new ConfigError('invalid-env', 'm', { retriable: true });
  assert.equal(typo.code, 'no-windw');
  assert.equal(forced.retriable, false);
  const code: ErrorCode = 'sql-invalid';
  // @ts-expect-error: ErrorCode is a union of the table's keys, not string
  const wrong: ErrorCode = 'sql-invalidd';
  assert.notEqual(code, wrong);
});

test('a broken invariant is an InternalError with the catalogue message', () => {
  const e = new InternalError('Stage.append before create');
  assert.ok(e instanceof WindowpaneError);
  assert.equal(e.name, 'InternalError');
  assert.equal(e.code, 'internal');
  assert.equal(e.retriable, false);
  assert.equal(e.message, messages.internal('Stage.append before create'));
});

test('a failure that is not an Error becomes one that quotes it', () => {
  const original = new RangeError('r');
  assert.equal(asError(original), original);
  const wrapped = asError({ reason: 'boom' });
  assert.ok(wrapped instanceof QueryError);
  assert.equal(wrapped.code, 'thrown-value');
  assert.equal(wrapped.message, messages.thrownValue('{"reason":"boom"}'));
  assert.equal(asError(10n).message, messages.thrownValue('10'));
});
