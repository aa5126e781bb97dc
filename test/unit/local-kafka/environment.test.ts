import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureJars, javaCommand } from '../../../src/local-kafka/jars.js';
import { kafkaPaths } from '../../../src/local-kafka/paths.js';
import { serverProperties } from '../../../src/local-kafka/properties.js';
import { EnvironmentError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';

/** Runs fn with PATH emptied and JAVA_HOME unset, as on a machine without Java or Maven. */
function withoutTools<T>(fn: () => T): T {
  const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME, LIB: process.env.WINDOWPANE_KAFKA_LIB };
  const lib = mkdtempSync(join(tmpdir(), 'windowpane-nolib-'));
  process.env.PATH = '';
  delete process.env.JAVA_HOME;
  process.env.WINDOWPANE_KAFKA_LIB = lib;
  try {
    return fn();
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.JAVA_HOME !== undefined) process.env.JAVA_HOME = saved.JAVA_HOME;
    if (saved.LIB === undefined) delete process.env.WINDOWPANE_KAFKA_LIB;
    else process.env.WINDOWPANE_KAFKA_LIB = saved.LIB;
    rmSync(lib, { recursive: true, force: true });
  }
}

test('missing Java says how to install it and how to use an existing cluster instead', () => {
  withoutTools(() => {
    assert.throws(javaCommand, (e: unknown) => e instanceof EnvironmentError && e.code === 'java-missing' && e.message === messages.javaMissing());
  });
  assert.match(messages.javaMissing(), /WINDOWPANE_KAFKA_BROKERS/);
});

test('missing Maven (jars not yet fetched) says how to install it and how to use an existing cluster instead', () => {
  withoutTools(() => {
    assert.throws(
      () => ensureJars(kafkaPaths(), () => undefined),
      (e: unknown) => e instanceof EnvironmentError && e.code === 'maven-missing' && e.message === messages.mavenMissing(),
    );
  });
  assert.match(messages.mavenMissing(), /WINDOWPANE_KAFKA_BROKERS/);
});

test('the broker listens on loopback only, with single-node replication and no rebalance delay', () => {
  const props = serverProperties(kafkaPaths('/tmp/x/kafka'), 19092, 19093);
  const lines = new Map(props.split('\n').filter((l) => l.includes('=') && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(lines.get('listeners'), 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
  assert.equal(lines.get('advertised.listeners'), 'PLAINTEXT://127.0.0.1:19092');
  assert.equal(lines.get('offsets.topic.replication.factor'), '1');
  assert.equal(lines.get('transaction.state.log.replication.factor'), '1');
  assert.equal(lines.get('group.initial.rebalance.delay.ms'), '0');
  assert.equal(lines.get('log.dirs'), '/tmp/x/kafka/data');
  // records stamped with historical event times must not expire by time
  assert.equal(lines.get('log.retention.ms'), '-1');
  assert.equal(lines.has('log.retention.hours'), false);
});
