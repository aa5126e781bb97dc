/** The cluster's state file and port choice. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flinkPaths } from '../../../src/local-flink/paths.js';
import { chooseClusterPorts, previousPorts } from '../../../src/local-flink/ports.js';
import { isFlinkProcess, liveProcesses, parseClusterState, readClusterState, writeClusterState, type ClusterState } from '../../../src/local-flink/state.js';
import { freePort } from '../../../src/local-kafka/ports.js';

const state: ClusterState = {
  flinkVersion: '2.2.1',
  startedAt: '2026-01-01T00:00:00.000Z',
  ports: { rpc: 6123, rest: 8081, gateway: 8083 },
  gateway: 'http://127.0.0.1:8083',
  webUi: 'http://127.0.0.1:8081',
  processes: [
    { role: 'jobmanager', name: 'jobmanager', pid: 2147483000, log: '/x/jobmanager.log' },
    { role: 'taskmanager', name: 'taskmanager-1', pid: 2147483001, log: '/x/taskmanager-1.log' },
    { role: 'sql-gateway', name: 'sql-gateway', pid: process.pid, log: '/x/sql-gateway.log' },
  ],
};

test('cluster.json round-trips; anything else is not a state', () => {
  assert.deepEqual(parseClusterState(JSON.stringify(state)), state);
  for (const bad of [
    'not json',
    'null',
    JSON.stringify({ ...state, ports: { rpc: 6123, rest: 8081 } }),
    JSON.stringify({ ...state, ports: { ...state.ports, gateway: 70000 } }),
    JSON.stringify({ ...state, gateway: 8083 }),
    JSON.stringify({ ...state, processes: [{ role: 'historyserver', name: 'h', pid: 1, log: '' }] }),
    JSON.stringify({ ...state, processes: [{ role: 'jobmanager', name: 'jm', pid: -1, log: '' }] }),
    JSON.stringify({ ...state, processes: 'none' }),
  ]) {
    assert.equal(parseClusterState(bad), undefined, bad.slice(0, 80));
  }
});

test('a recorded pid counts only while it runs the Flink main class of its role', () => {
  assert.equal(isFlinkProcess(2147483000, 'jobmanager'), false, 'no such process');
  assert.equal(isFlinkProcess(process.pid, 'sql-gateway'), false, 'alive, but this test runner is not a gateway');
  assert.deepEqual(liveProcesses(state), []);
  assert.deepEqual(liveProcesses(undefined), []);
});

test('the state file is written whole and read back', () => {
  const root = mkdtempSync(join(tmpdir(), 'windowpane-flink-state-'));
  try {
    const paths = flinkPaths(root, '2.2.1');
    assert.equal(readClusterState(paths), undefined);
    writeClusterState(state, paths);
    assert.deepEqual(readClusterState(paths), state);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("ports: the wanted ones, else the last start's, else Flink's defaults; a taken port is replaced by a free one", async () => {
  const root = mkdtempSync(join(tmpdir(), 'windowpane-flink-ports-'));
  const busy = createServer();
  try {
    const paths = flinkPaths(root, '2.2.1');
    mkdirSync(root, { recursive: true });
    const [a, b, c] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(paths.ports, JSON.stringify({ rpc: a, rest: b, gateway: c, junk: 'x' }));
    assert.deepEqual(previousPorts(paths), { rpc: a, rest: b, gateway: c });
    await new Promise<void>((resolve) => busy.listen(b, '127.0.0.1', resolve));
    const chosen = await chooseClusterPorts(paths);
    assert.equal(chosen.rpc, a);
    assert.notEqual(chosen.rest, b, 'the busy REST port was replaced');
    assert.equal(chosen.gateway, c);
    const wanted = await chooseClusterPorts(paths, { gateway: await freePort() });
    assert.notEqual(wanted.gateway, c);
    assert.equal(new Set([wanted.rpc, wanted.rest, wanted.gateway]).size, 3);
    writeFileSync(paths.ports, 'garbage');
    assert.deepEqual(previousPorts(paths), {});
  } finally {
    busy.close();
    rmSync(root, { recursive: true, force: true });
  }
});
