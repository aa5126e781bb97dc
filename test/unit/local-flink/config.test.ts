/** The local cluster's configuration, memory parameters and command lines, without starting Java. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterConfig, defaultSizing, renderConfigYaml } from '../../../src/local-flink/config.js';
import { sizingFrom } from '../../../src/local-flink/cluster.js';
import { flinkPaths } from '../../../src/local-flink/paths.js';
import { java17Options, libClasspath, mainClass, parseBashJavaUtils, processSpecs } from '../../../src/local-flink/processes.js';
import { ConfigError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';

const paths = flinkPaths('/tmp/x/flink', '2.2.1');
const ports = { rpc: 16123, rest: 18081, gateway: 18083 };

test('every address of the cluster is loopback, on the chosen ports', () => {
  const c = clusterConfig(paths, ports);
  for (const key of ['jobmanager.rpc.address', 'jobmanager.bind-host', 'taskmanager.host', 'taskmanager.bind-host', 'rest.address', 'rest.bind-address', 'sql-gateway.endpoint.rest.address', 'sql-gateway.endpoint.rest.bind-address']) {
    assert.equal(c[key], '127.0.0.1', key);
  }
  assert.equal(c['jobmanager.rpc.port'], '16123');
  assert.equal(c['rest.port'], '18081');
  assert.equal(c['sql-gateway.endpoint.rest.port'], '18083');
  assert.equal(c['execution.target'], 'remote');
});

test('checkpoints go to the state folder every 10 seconds; one slot per TaskManager; memory for a small machine', () => {
  const c = clusterConfig(paths, ports);
  assert.equal(c['execution.checkpointing.dir'], 'file:///tmp/x/flink/checkpoints');
  assert.equal(c['execution.checkpointing.interval'], '10s');
  assert.equal(c['execution.checkpointing.mode'], 'EXACTLY_ONCE');
  assert.equal(c['taskmanager.numberOfTaskSlots'], '1');
  assert.equal(c['jobmanager.memory.process.size'], '768m');
  assert.equal(c['taskmanager.memory.process.size'], '1024m');
  assert.equal(c['io.tmp.dirs'], '/tmp/x/flink/tmp');
  assert.equal(defaultSizing.taskManagers, 2);
  assert.equal(defaultSizing.gatewayHeap, '512m');
});

test('config.yaml has one flat key per line, quoting only values YAML could misread', () => {
  const yaml = renderConfigYaml({ 'a.b': '127.0.0.1', 'c.d': 'file:///tmp/x y', 'e.f': 'true', 'g.h': '-1', 'i.j': 'a: b', 'k.l': '' });
  assert.deepEqual(yaml.split('\n').slice(1), ['a.b: 127.0.0.1', 'c.d: file:///tmp/x y', 'e.f: "true"', 'g.h: "-1"', 'i.j: "a: b"', 'k.l: ""', '']);
  assert.match(yaml, /^# Written by `windowpane flink start`/);
});

test("BashJavaUtils' result lines give the JVM options and the dynamic -D pairs", () => {
  // as printed by Flink 2.2.1's BashJavaUtils GET_TM_RESOURCE_PARAMS (log lines first)
  const out = [
    'INFO  [] - Final TaskExecutor Memory configuration:',
    'INFO  [] -     JVM Overhead:                128.000mb (134217728 bytes)',
    'BASH_JAVA_UTILS_EXEC_RESULT:-Xmx536870912 -Xms536870912 -XX:MaxDirectMemorySize=134217728 -XX:MaxMetaspaceSize=201326592',
    'BASH_JAVA_UTILS_EXEC_RESULT:-D taskmanager.memory.network.min=67108864b -D taskmanager.cpu.cores=1.0 -D taskmanager.numberOfTaskSlots=1',
  ].join('\n');
  assert.deepEqual(parseBashJavaUtils(out), {
    jvm: ['-Xmx536870912', '-Xms536870912', '-XX:MaxDirectMemorySize=134217728', '-XX:MaxMetaspaceSize=201326592'],
    dynamic: ['-D', 'taskmanager.memory.network.min=67108864b', '-D', 'taskmanager.cpu.cores=1.0', '-D', 'taskmanager.numberOfTaskSlots=1'],
  });
  assert.equal(parseBashJavaUtils('INFO only log lines\n'), undefined);
});

test('sizing comes from options, then WINDOWPANE_FLINK_* variables, then the defaults', () => {
  assert.deepEqual(sizingFrom({}, {}), defaultSizing);
  assert.equal(sizingFrom({}, { WINDOWPANE_FLINK_TASK_MANAGERS: '1', WINDOWPANE_FLINK_TM_MEMORY: '1536m' }).taskManagers, 1);
  assert.equal(sizingFrom({}, { WINDOWPANE_FLINK_TM_MEMORY: '1536m' }).taskManagerMemory, '1536m');
  assert.equal(sizingFrom({ taskManagers: 3 }, { WINDOWPANE_FLINK_TASK_MANAGERS: '1' }).taskManagers, 3);
  assert.throws(() => sizingFrom({}, { WINDOWPANE_FLINK_TASK_MANAGERS: 'two' }), (e: unknown) => e instanceof ConfigError && e.message === messages.flinkInvalidTaskManagers('two'));
});

test('each JVM runs its main class on lib/ (flink-dist last), with the Java 17 flags, its own log, and distinct TaskManager ids', () => {
  const root = mkdtempSync(join(tmpdir(), 'windowpane-flink-dist-'));
  try {
    process.env.WINDOWPANE_FLINK_DIST = join(root, 'dist');
    const p = flinkPaths(join(root, 'flink'), '2.2.1');
    mkdirSync(p.lib, { recursive: true });
    mkdirSync(p.opt, { recursive: true });
    for (const jar of ['flink-dist-2.2.1.jar', 'flink-json-2.2.1.jar', 'aircompressor-2.0.2.jar', 'README.txt']) writeFileSync(join(p.lib, jar), '');
    writeFileSync(join(p.opt, 'flink-sql-gateway-2.2.1.jar'), '');
    assert.equal(libClasspath(p), ['aircompressor-2.0.2.jar', 'flink-json-2.2.1.jar', 'flink-dist-2.2.1.jar'].map((j) => join(p.lib, j)).join(':'));

    const jm = { jvm: ['-Xmx320m'], dynamic: ['-D', 'jobmanager.memory.heap.size=335544320b'] };
    const tm = { jvm: ['-Xmx512m'], dynamic: ['-D', 'taskmanager.cpu.cores=1.0'] };
    const specs = processSpecs(p, jm, tm, 2, '512m');
    assert.deepEqual(
      specs.map((s) => s.name),
      ['jobmanager', 'taskmanager-1', 'taskmanager-2', 'sql-gateway'],
    );
    for (const s of specs) {
      assert.ok(s.args.includes(mainClass[s.role]), s.name);
      for (const flag of java17Options) assert.ok(s.args.includes(flag), `${s.name} ${flag}`);
      assert.ok(s.args.includes(`-Dlog.file=${join(p.logs, `${s.name}.log`)}`), s.name);
      assert.equal(s.env.FLINK_CONF_DIR, p.conf);
    }
    assert.deepEqual(specs[0]!.args.slice(-2), jm.dynamic);
    assert.ok(specs[1]!.args.includes('taskmanager.resource-id=taskmanager-1'));
    assert.ok(specs[2]!.args.includes('taskmanager.resource-id=taskmanager-2'));
    const gateway = specs[3]!.args;
    assert.ok(gateway.includes('-Xmx512m'));
    assert.ok(gateway[gateway.indexOf('-cp') + 1]!.endsWith(join(p.opt, 'flink-sql-gateway-2.2.1.jar')), 'the gateway jar is on the gateway classpath only');
    assert.ok(!specs[0]!.args[specs[0]!.args.indexOf('-cp') + 1]!.includes('flink-sql-gateway'));
  } finally {
    delete process.env.WINDOWPANE_FLINK_DIST;
    rmSync(root, { recursive: true, force: true });
  }
});
