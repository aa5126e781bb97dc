import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKafkaSettings } from '../../../src/config/settings.js';
import { brokerTimeoutMs } from '../../../src/kafka/connect.js';
import { parseQueryOptions } from '../../../src/engine/run/options.js';
import { inspect } from 'node:util';
import { ConfigError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-settings-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('with nothing configured, the local broker is meant (no brokers) and the client id is windowpane', () => {
  withDir((dir) => {
    assert.deepEqual(loadKafkaSettings({}, dir), { brokers: [], clientId: 'windowpane' });
  });
});

test('environment variables configure brokers, client id, TLS, SASL and timeouts', () => {
  withDir((dir) => {
    const s = loadKafkaSettings(
      {
        WINDOWPANE_KAFKA_BROKERS: 'a.example:9092, b.example:9093',
        WINDOWPANE_KAFKA_CLIENT_ID: 'fraud-notebook',
        WINDOWPANE_KAFKA_SSL: '{"rejectUnauthorized":false}',
        WINDOWPANE_KAFKA_SASL_MECHANISM: 'scram-sha-512',
        WINDOWPANE_KAFKA_SASL_USERNAME: 'app',
        WINDOWPANE_KAFKA_SASL_PASSWORD: 'secret',
        WINDOWPANE_KAFKA_REQUEST_TIMEOUT_MS: '5000',
      },
      dir,
    );
    assert.deepEqual(s.brokers, ['a.example:9092', 'b.example:9093']);
    assert.equal(s.clientId, 'fraud-notebook');
    assert.deepEqual(s.ssl, { rejectUnauthorized: false });
    assert.deepEqual({ ...s.sasl, password: s.sasl?.password }, { mechanism: 'scram-sha-512', username: 'app', password: 'secret' });
    assert.equal(s.requestTimeoutMs, 5000);
  });
});

test('the config file in the working folder is read, and the environment wins over it', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'windowpane.config.json'), JSON.stringify({ kafka: { brokers: ['file.example:9092'], clientId: 'from-file', ssl: true } }));
    const fromFile = loadKafkaSettings({}, dir);
    assert.deepEqual(fromFile.brokers, ['file.example:9092']);
    assert.equal(fromFile.clientId, 'from-file');
    assert.equal(fromFile.ssl, true);
    const overridden = loadKafkaSettings({ WINDOWPANE_KAFKA_BROKERS: 'env.example:9092', WINDOWPANE_KAFKA_SSL: 'false' }, dir);
    assert.deepEqual(overridden.brokers, ['env.example:9092']);
    assert.equal(overridden.ssl, false);
    assert.equal(overridden.clientId, 'from-file');
  });
});

test('bad settings give errors that name the setting and the fix', () => {
  withDir((dir) => {
    assert.throws(
      () => loadKafkaSettings({ WINDOWPANE_KAFKA_BROKERS: 'localhost' }, dir),
      (e: unknown) => e instanceof ConfigError && e.message === messages.invalidBrokers('WINDOWPANE_KAFKA_BROKERS', 'localhost'),
    );
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_KAFKA_SSL: 'yes please' }, dir), { message: messages.invalidJsonEnv('WINDOWPANE_KAFKA_SSL', 'yes please') });
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_KAFKA_REQUEST_TIMEOUT_MS: '-3' }, dir), {
      message: messages.invalidPositiveInt('WINDOWPANE_KAFKA_REQUEST_TIMEOUT_MS', '-3'),
    });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"kafka": [1]}');
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_CONFIG: bad }, dir), { message: messages.configFileInvalid(bad, '"kafka" must be an object') });
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_CONFIG: join(dir, 'missing.json') }, dir), { message: messages.configFileUnreadable(join(dir, 'missing.json')) });
  });
});

const CA = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

test('WINDOWPANE_KAFKA_USERNAME, _PASSWORD and _CA: SASL with TLS trusting the given CA', () => {
  withDir((dir) => {
    writeFileSync(join(dir, 'ca.pem'), CA);
    const s = loadKafkaSettings({ WINDOWPANE_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256', WINDOWPANE_KAFKA_USERNAME: 'app', WINDOWPANE_KAFKA_PASSWORD: 'pw-1', WINDOWPANE_KAFKA_CA: join(dir, 'ca.pem') }, dir);
    assert.equal(s.sasl?.mechanism, 'scram-sha-256');
    assert.equal(s.sasl?.username, 'app');
    assert.equal(s.sasl?.password, 'pw-1', 'the client reads the password');
    assert.deepEqual(s.ssl, { ca: [CA] });
    // the file form: "kafka.ca" and "kafka.sasl"
    writeFileSync(join(dir, 'windowpane.config.json'), JSON.stringify({ kafka: { ca: join(dir, 'ca.pem'), sasl: { mechanism: 'scram-sha-512', username: 'f', password: 'pw-2' } } }));
    const f = loadKafkaSettings({}, dir);
    assert.deepEqual(f.ssl, { ca: [CA] });
    assert.equal(f.sasl?.password, 'pw-2');
  });
});

test('a password (or a TLS key) never shows when the settings are printed or JSON-encoded', () => {
  withDir((dir) => {
    const s = loadKafkaSettings({ WINDOWPANE_KAFKA_SASL_MECHANISM: 'plain', WINDOWPANE_KAFKA_USERNAME: 'app', WINDOWPANE_KAFKA_PASSWORD: 'hunter2-secret', WINDOWPANE_KAFKA_SSL: '{"key":"PRIVATE-KEY-BODY","passphrase":"pp-secret"}' }, dir);
    for (const text of [JSON.stringify(s), inspect(s, { depth: 9 }), String(Object.values(s.sasl ?? {}))]) {
      for (const secret of ['hunter2-secret', 'PRIVATE-KEY-BODY', 'pp-secret']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    }
    assert.match(inspect(s), /username: 'app'/);
    assert.equal((s.ssl as { key?: string }).key, 'PRIVATE-KEY-BODY');
  });
});

test('incomplete SASL settings and an unreadable CA name what is missing', () => {
  withDir((dir) => {
    const where = 'the environment';
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_KAFKA_SASL_MECHANISM: 'scram-sha-512', WINDOWPANE_KAFKA_PASSWORD: 'x' }, dir), { code: 'invalid-sasl', message: messages.invalidSasl(where, 'WINDOWPANE_KAFKA_USERNAME is not set') });
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_KAFKA_SASL_MECHANISM: 'scram-sha-512', WINDOWPANE_KAFKA_USERNAME: 'u' }, dir), { message: messages.invalidSasl(where, 'WINDOWPANE_KAFKA_PASSWORD is not set') });
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_KAFKA_SASL_MECHANISM: 'scram', WINDOWPANE_KAFKA_USERNAME: 'u', WINDOWPANE_KAFKA_PASSWORD: 'p' }, dir), { message: messages.invalidSasl(where, 'unknown mechanism "scram"') });
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_KAFKA_PASSWORD: 'p' }, dir), { message: messages.invalidSasl(where, 'a username or password is set but WINDOWPANE_KAFKA_SASL_MECHANISM is not') });
    assert.throws(() => loadKafkaSettings({ WINDOWPANE_KAFKA_CA: join(dir, 'nope.pem') }, dir), { code: 'ca-unreadable', message: messages.caUnreadable('WINDOWPANE_KAFKA_CA', join(dir, 'nope.pem')) });
    writeFileSync(join(dir, 'windowpane.config.json'), JSON.stringify({ kafka: { sasl: { username: 'u' } } }));
    assert.throws(() => loadKafkaSettings({}, dir), { message: messages.invalidSasl(`"kafka.sasl" in ${join(dir, 'windowpane.config.json')}`, 'the "mechanism" is missing') });
  });
});

test('the broker timeout: WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS, else "kafka.brokerTimeoutMs", else 2 minutes; a run option wins', () => {
  withDir((dir) => {
    const file = join(dir, 'windowpane.config.json');
    writeFileSync(file, JSON.stringify({ kafka: { brokerTimeoutMs: 45_000 } }));
    assert.equal(loadKafkaSettings({}, dir).brokerTimeoutMs, 45_000);
    assert.equal(loadKafkaSettings({ WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS: '9000' }, dir).brokerTimeoutMs, 9000);
    assert.equal(brokerTimeoutMs(undefined, () => loadKafkaSettings({}, dir)), 45_000);
    assert.equal(brokerTimeoutMs(3000, () => loadKafkaSettings({}, dir)), 3000);
    assert.equal(brokerTimeoutMs(undefined, () => ({ brokers: [], clientId: 'x' })), 120_000);
    writeFileSync(file, JSON.stringify({ kafka: { brokerTimeoutMs: '1 minute' } }));
    assert.throws(() => loadKafkaSettings({}, dir), { message: messages.configFileInvalid(file, '"kafka.brokerTimeoutMs" must be a positive whole number of milliseconds, not "1 minute"') });
    assert.throws(() => parseQueryOptions({ brokerTimeout: 0 }), { message: messages.invalidRunOption('brokerTimeout', '0', "a duration above 0, e.g. '5 minutes'") });
    assert.equal(parseQueryOptions({ brokerTimeout: '90 seconds' }).brokerTimeoutMs, 90_000);
  });
});
