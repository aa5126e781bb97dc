import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configuredGateway, parseGatewayUrl, resolveGateway } from '../../../src/flink/settings.js';
import { flinkPaths } from '../../../src/local-flink/paths.js';
import { ConfigError, FlinkError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'windowpane-flink-settings-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a gateway URL is http(s)://host:port; anything else is refused naming where it came from', () => {
  assert.equal(parseGatewayUrl('http://127.0.0.1:8083', 'X'), 'http://127.0.0.1:8083');
  assert.equal(parseGatewayUrl(' https://flink.example:443/ ', 'X'), 'https://flink.example');
  for (const bad of ['127.0.0.1:8083', 'ftp://h:1', 'http://h:8083/v1/info', 'http://h:1?x=1', '', 42]) {
    assert.throws(
      () => parseGatewayUrl(bad, 'WINDOWPANE_FLINK_GATEWAY'),
      (e: unknown) => e instanceof ConfigError && e.message === messages.flinkInvalidGateway('WINDOWPANE_FLINK_GATEWAY', typeof bad === 'string' ? bad : '42'),
    );
  }
});

test('WINDOWPANE_FLINK_GATEWAY wins over "flink.gateway" in the config file; neither means the local cluster', () => {
  withDir((dir) => {
    const config = join(dir, 'windowpane.config.json');
    assert.equal(configuredGateway({}, dir), undefined);
    writeFileSync(config, JSON.stringify({ flink: { gateway: 'http://10.1.2.3:8083' } }));
    assert.equal(configuredGateway({}, dir), 'http://10.1.2.3:8083');
    assert.equal(configuredGateway({ WINDOWPANE_FLINK_GATEWAY: 'http://gw:9000' }, dir), 'http://gw:9000');
    writeFileSync(config, JSON.stringify({ flink: { gateway: 'gw:9000' } }));
    assert.throws(() => configuredGateway({}, dir), (e: unknown) => e instanceof ConfigError && e.message === messages.flinkInvalidGateway(`"flink.gateway" in ${config}`, 'gw:9000'));
    writeFileSync(config, JSON.stringify({ flink: 'http://gw:9000' }));
    assert.throws(() => configuredGateway({}, dir), (e: unknown) => e instanceof ConfigError && e.code === 'config-file-invalid');
  });
});

test('with no gateway configured and no local cluster running, the error says how to start one', () => {
  withDir((dir) => {
    assert.throws(
      () => resolveGateway({ env: {}, cwd: dir, paths: flinkPaths(join(dir, 'flink')) }),
      (e: unknown) => e instanceof FlinkError && e.code === 'no-gateway' && e.message === messages.flinkGatewayNotRunning(),
    );
    assert.match(messages.flinkGatewayNotRunning(), /windowpane flink start/);
  });
});
