/**
 * The README's main command end to end: `windowpane up` brings up a (private) Kafka broker and a
 * JupyterLab that answers on the printed URL, and Ctrl-C leaves nothing running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { brokerAnswers } from '../../src/local-kafka/broker.js';
import { freePort, isPortFree } from '../../src/local-kafka/ports.js';
import { alive, interruptChild } from '../helpers/process.js';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'windowpane.js');

test('windowpane up serves JupyterLab on the printed URL with a running broker, and stops cleanly', { timeout: 180_000 }, async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'windowpane-up-'));
  const env: NodeJS.ProcessEnv = { ...process.env, WINDOWPANE_STATE_DIR: stateDir, WINDOWPANE_KAFKA_PORT: String(await freePort()) };
  delete env.WINDOWPANE_KAFKA_BROKERS;
  const up = spawn(process.execPath, [cli, 'up', '--json', '--port', String(await freePort())], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  up.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const lines = createInterface({ input: up.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    const info = JSON.parse(first) as { url: string; kafka: string; pid: number };

    const page = await fetch(info.url);
    assert.equal(page.status, 200, 'JupyterLab answers on the printed URL');
    assert.match(await page.text(), /JupyterLab/);
    assert.equal(await brokerAnswers(info.kafka), true, 'the broker answers on the printed address');
    const kernelspecs = (await (await fetch(new URL('/api/kernelspecs', info.url).href + new URL(info.url).search)).json()) as { kernelspecs: Record<string, unknown> };
    assert.ok('windowpane' in kernelspecs.kernelspecs, 'the Windowpane kernel is installed in the environment');

    // under `npm start` one Ctrl-C reaches up more than once: a repeat while it stops changes nothing
    const stopping = new Promise<void>((resolve) => up.stderr.on('data', () => stderr.includes('windowpane up: stopping') && resolve()));
    up.kill('SIGINT');
    await stopping;
    up.kill('SIGINT');
    const [code] = (await once(up, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.equal(alive(info.pid), false, 'JupyterLab stopped');
    assert.equal(await isPortFree(Number(new URL(info.url).port)), true, 'the JupyterLab port is released');
    assert.equal(await isPortFree(Number(info.kafka.split(':')[1])), true, 'the broker it started is stopped');
  } finally {
    // Stop it the way a user would, so the broker and JupyterLab it started go too.
    await interruptChild(up);
    rmSync(stateDir, { recursive: true, force: true });
  }
});
