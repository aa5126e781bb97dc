/**
 * `npm start` stops on a signal sent to the process a supervisor started, npm itself: SIGTERM (or
 * SIGINT, as `kill -INT` sends) to npm reaches scripts/start.mjs (no shell in between swallows it), then `windowpane up`, which stops
 * the demo stream, JupyterLab and the private broker it started. Afterwards no process of the tree
 * is left and every port it listened on is free.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort, isPortFree } from '../../src/local-kafka/ports.js';
import { kafkaPaths } from '../../src/local-kafka/paths.js';
import { readBrokerState } from '../../src/local-kafka/state.js';
import { packageRoot } from '../../src/util/paths.js';
import { alive } from '../helpers/process.js';

/** Every process below `pid`, with its command line. */
function descendants(pid: number): Map<number, string> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const found = new Map<number, string>();
  const walk = (parent: number) => {
    for (const m of rows) {
      const child = Number(m[1]);
      if (Number(m[2]) === parent && !found.has(child)) {
        found.set(child, m[3]!);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

for (const sent of ['SIGTERM', 'SIGINT'] as const) {
  test(`${sent} to the npm start process stops everything it started; no process or port is left`, { timeout: 300_000 }, async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'windowpane-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env, WINDOWPANE_STATE_DIR: stateDir, WINDOWPANE_KAFKA_PORT: String(await freePort()) };
    delete env.WINDOWPANE_KAFKA_BROKERS;
    const npm = spawn('npm', ['start', '--', '--json', '--port', String(await freePort())], { cwd: packageRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    npm.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let tree = new Map<number, string>();
    try {
      // 1. up is ready: JupyterLab, the broker and the demo stream run
      let info: { url: string; kafka: string; pid: number } | undefined;
      for await (const line of createInterface({ input: npm.stdout })) {
        if (line.startsWith('{')) {
          info = JSON.parse(line) as typeof info;
          break;
        }
      }
      assert.ok(info, `npm start printed no JSON line; stderr:\n${stderr}`);
      const broker = readBrokerState(kafkaPaths(join(stateDir, 'kafka')));
      assert.ok(broker?.alive, 'the private broker runs');
      const ports = [Number(new URL(info.url).port), Number(info.kafka.split(':')[1]), broker.controllerPort];
      tree = descendants(npm.pid!);
      const commands = [...tree.values()].join('\n');
      assert.match(commands, /scripts\/start\.mjs/);
      assert.match(commands, /windowpane\.js up/);
      assert.match(commands, /kafka\.Kafka/);
      assert.match(commands, /jupyter.*lab/);
      assert.ok(!/sh -c/.test(commands), `no shell between npm and the start script:\n${commands}`);

      // 2. the supervisor's signal, to npm only
      const t0 = Date.now();
      npm.kill(sent);
      const [code, signal] = (await once(npm, 'exit')) as [number | null, NodeJS.Signals | null];
      assert.ok(code !== null || signal === sent, `npm ended (${code ?? signal})`);
      // 3. nothing left: every process of the tree has exited, every port is free
      while (Date.now() - t0 < 30_000 && [...tree.keys()].some(alive)) await delay(200);
      const left = [...tree].filter(([pid]) => alive(pid)).map(([pid, cmd]) => `${pid} ${cmd}`);
      assert.deepEqual(left, [], `processes left ${((Date.now() - t0) / 1000).toFixed(1)}s after ${sent}`);
      for (const port of ports) assert.equal(await isPortFree(port), true, `port ${port} is free`);
      assert.match(stderr, new RegExp(`windowpane up: stopping \\(${sent}\\)`));
    } finally {
      for (const pid of [npm.pid!, ...tree.keys()]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
}
