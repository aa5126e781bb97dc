/**
 * The shared Jupyter server starter (src/jupyter/server.ts): it answers with its token on
 * 127.0.0.1, and whatever fails after its start, no process and no port are left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, stopOnFailure, type JupyterServer } from '../../src/jupyter/server.js';
import { isPortFree } from '../../src/local-kafka/ports.js';
import { startLab } from '../browser/chart/lab.js';
import { alive } from '../helpers/process.js';

async function assertGone(server: JupyterServer): Promise<void> {
  assert.equal(alive(server.pid), false, `the server's process ${server.pid} is gone`);
  assert.equal(await isPortFree(server.port), true, `its port ${server.port} is free`);
}

test('the server binds 127.0.0.1, requires its token, and stop() frees its process and port', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'windowpane-server-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const server = await startServer({ rootDir: root });
  t.after(() => server.stop());
  assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal((await fetch(`${server.baseUrl}api/status`)).status, 403, 'no token, no answer');
  assert.equal((await fetch(`${server.baseUrl}api/status`, { headers: { Authorization: `token ${server.token}` } })).status, 200);
  await server.stop();
  await assertGone(server);
  await server.stop();
});

test('a step that throws after the start (Chromium that does not exist) stops the server', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'windowpane-server-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const server = await startServer({ rootDir: root });
  t.after(() => server.stop());
  const missing = join(root, 'no-such-chromium');
  await assert.rejects(
    stopOnFailure(server, () => chromium.launch({ executablePath: missing })),
    (e: Error) => e.message.includes(missing),
  );
  await assertGone(server);
});

test("the browser tests' JupyterLab is stopped, its kernelspec removed, when Chromium fails to launch", { timeout: 180_000 }, async () => {
  let server: JupyterServer | undefined;
  let prefix: string | undefined;
  await assert.rejects(
    startLab({}, {
      executablePath: '/nonexistent/chromium',
      onServer: (s, rootDir) => {
        server = s;
        prefix = dirname(rootDir);
      },
    }),
    /nonexistent\/chromium/,
  );
  assert.ok(server, 'JupyterLab had started before the launch failed');
  await assertGone(server);
  assert.ok(prefix);
  assert.equal(existsSync(prefix), false, 'the test kernelspec and lab folders are removed');
});

test('a process ended by SIGTERM (as the test timeout ends a test file) takes its server with it', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'windowpane-server-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const module = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'jupyter', 'server.ts')).href;
  const script = `const { startServer } = await import(${JSON.stringify(module)});
    const s = await startServer({ rootDir: ${JSON.stringify(root)} });
    console.log(JSON.stringify({ pid: s.pid, port: s.port }));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const server = JSON.parse(line) as { pid: number; port: number };
  assert.equal(alive(server.pid), true);
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 143, 'the signal became an exit with the usual code');
  const deadline = Date.now() + 30_000;
  while (alive(server.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await assertGone(server as JupyterServer);
});
