/** server.properties: plain, or SASL_SSL with SCRAM on the client listener; loopback only either way. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaPaths } from '../../../src/local-kafka/paths.js';
import { serverProperties } from '../../../src/local-kafka/properties.js';
import { securePaths } from '../../../src/local-kafka/secure.js';

const paths = kafkaPaths('/state/kafka');
const props = (text: string) => new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

test('the plain broker: PLAINTEXT listeners on 127.0.0.1, its own data folder', () => {
  const p = props(serverProperties(paths, 9092, 9093));
  assert.equal(p.get('listeners'), 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
  assert.equal(p.get('log.dirs'), paths.data);
  assert.equal(p.has('sasl.enabled.mechanisms'), false);
});

test('the secure broker: SASL_SSL with SCRAM-SHA-512 and the local keystores; the controller stays PLAINTEXT on 127.0.0.1', () => {
  const files = securePaths(paths);
  const p = props(serverProperties(paths, 9092, 9093, { files, storePassword: 'store-pw', username: 'windowpane', password: 'user-pw' }));
  assert.equal(p.get('listeners'), 'SASL_SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
  assert.equal(p.get('advertised.listeners'), 'SASL_SSL://127.0.0.1:9092');
  assert.equal(p.get('listener.security.protocol.map'), 'SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT');
  assert.equal(p.get('sasl.enabled.mechanisms'), 'SCRAM-SHA-512');
  assert.equal(p.get('ssl.keystore.location'), files.keystore);
  assert.equal(p.get('ssl.truststore.location'), files.truststore);
  assert.equal(p.get('ssl.client.auth'), 'none');
  assert.equal(p.get('listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config'), 'org.apache.kafka.common.security.scram.ScramLoginModule required username="windowpane" password="user-pw";');
  assert.equal(p.get('log.dirs'), files.data, 'the secure broker has storage of its own (formatted with its user)');
});
