/**
 * Fault 2: the broker dies and never comes back. A query ends with a KafkaError (broker-lost) once
 * its broker timeout has passed (the run option brokerTimeout, or the setting
 * WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS), never hangs; and `windowpane run` of a notebook doing this
 * exits 1 with the notebook written up to the failed cell, the outage warning and the error in it.
 * Both run at once against one private broker, killed once.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaError, source, sql } from '../../src/index.js';
import { messages } from '../../src/messages.js';
import { readNotebook, sourceText, type CodeCell } from '../../src/runner/notebook.js';
import { installTestKernel, type TestKernelSpec } from '../helpers/jupyter.js';
import { BASE, produce, type TestEvent } from '../integration/engine/events.js';
import { createTopicOn, startPrivateBroker, until, type PrivateBroker } from './broker.js';
import { recordFault, since } from './figures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TIMEOUT_MS = 10_000;
const SCHEMA = { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT', x: 'DOUBLE' };

let broker: PrivateBroker | undefined;
let spec: TestKernelSpec | undefined;
let dir: string | undefined;
after(async () => {
  await broker?.remove();
  spec?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const code = (text: string, tags: string[] = []) => ({ cell_type: 'code', execution_count: null, metadata: tags.length ? { tags } : {}, outputs: [], source: text });

function cellText(cell: CodeCell): string {
  return cell.outputs.map((o) => (o.output_type === 'stream' ? sourceText(o.text) : o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : '')).join('');
}

test('a broker that never comes back: the query ends with broker-lost after its timeout, and windowpane run exits 1 with the partial notebook', { timeout: 600_000 }, async () => {
  assert.ok(existsSync(join(root, 'dist', 'src', 'cli', 'main.js')), 'the CLI is not built: run `npm run build` first');
  broker = await startPrivateBroker('fault-gone');
  const b = broker;
  dir = mkdtempSync(join(tmpdir(), 'windowpane-fault-gone-'));
  const topic = 'gone-events';
  await createTopicOn(b.kafka, topic, 2);
  const events: TestEvent[] = Array.from({ length: 400 }, (_, i) => ({ partition: i % 2, ts: BASE + i * 1000, g: `g${i % 3}`, v: i, x: 0 }));
  await produce(b.kafka, topic, events, [0, 0]);

  // 1. a notebook whose query waits for more than the topic holds
  const marker = join(dir, 'live.marker');
  const input = join(dir, 'gone.ipynb');
  const output = join(dir, 'gone.out.ipynb');
  writeFileSync(input, JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'windowpane', display_name: 'TypeScript (Windowpane)', language: 'typescript' } },
    cells: [
      code(`const topic = 'x';\nconst marker = 'x';`, ['parameters']),
      code([
        `const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema: ${JSON.stringify(SCHEMA)} });`,
        "const q = await sql(`SELECT window_start, g, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: { ev }, until: { offsets: { 0: 1000, 1: 1000 } } });",
      ].join('\n')),
      code(`await q.processedUpTo({ 0: 200, 1: 200 });\nrequire('node:fs').writeFileSync(marker, 'live');`),
      code('await q.done;'),
      code(`console.log('never reached');`),
    ],
  }));
  spec = await installTestKernel();
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, WINDOWPANE_STATE_DIR: b.stateDir, WINDOWPANE_KAFKA_BROKERS: b.bootstrap, WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS: String(TIMEOUT_MS), KAFKAJS_NO_PARTITIONER_WARNING: '1' };
  delete env.WINDOWPANE_TEST_BROKERS;
  const child = spawn(process.execPath, [join(root, 'bin', 'windowpane.js'), 'run', input, '-o', output, '-p', `topic=${topic}`, '-p', `marker=${marker}`, '--cell-timeout', '300'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let exitAt = 0;
  const exited = new Promise<number | null>((resolve) => child.on('close', (c) => {
    exitAt = performance.now();
    resolve(c);
  }));

  // 2. the same in this process, with the run option
  const warnings: string[] = [];
  let warnedAt = 0;
  const ev = source({ name: 'ev', time: 'ts', live: { topic, startAt: 'earliest' }, schema: SCHEMA });
  const q = await sql(`SELECT window_start, g, count(*) AS n FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, {
    sources: [ev], kafka: b.kafka, until: { offsets: { 0: 1000, 1: 1000 } }, brokerTimeout: `${TIMEOUT_MS / 1000} seconds`, onWarning: (m) => {
      warnedAt = performance.now();
      warnings.push(m);
    },
  });
  try {
    await q.processedUpTo({ 0: 200, 1: 200 });
    await until('the notebook to be live', () => existsSync(marker), 240_000);
    // 3. kill -9, and no restart
    const tKill = performance.now();
    await b.kill();
    const failure = await q.done.then(() => undefined, (e: unknown) => e);
    const endedMs = since(tKill);
    assert.ok(failure instanceof KafkaError, `a KafkaError, not ${String(failure)}`);
    assert.equal(failure.code, 'broker-lost');
    const stats = q.stats();
    assert.equal(stats.phase, 'done');
    assert.equal(stats.broker?.state, 'lost');
    assert.equal(failure.message, messages.brokerLost(b.bootstrap, topic, TIMEOUT_MS, stats.broker?.lastError ?? ''));
    assert.ok(endedMs >= TIMEOUT_MS, `not before the timeout (${endedMs} ms)`);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /is unreachable .* or the run stops with an error after 10 s\.$/);
    assert.equal(stats.events, 400, 'what was read before the outage stays counted');

    // 4. the headless run: exit 1, the notebook written up to the failed cell
    const code1 = await exited;
    const exitMs = Math.round(exitAt - tKill);
    const detectedMs = Math.round(warnedAt - tKill);
    assert.equal(code1, 1, stderr);
    const nb = readNotebook(output);
    const cells = nb.cells.filter((c): c is CodeCell => c.cell_type === 'code');
    const failed = cells.find((c) => c.outputs.some((o) => o.output_type === 'error'));
    assert.ok(failed, 'a cell has the error');
    const errorOut = failed.outputs.find((o) => o.output_type === 'error');
    assert.ok(errorOut?.output_type === 'error');
    assert.equal(errorOut.ename, 'KafkaError');
    assert.match(errorOut.evalue, new RegExp(`^Kafka at ${b.bootstrap.replace(/\./g, '\\.')} has not answered for 10 s \\(topic "${topic}"\\), so the client gave up`));
    assert.match(sourceText(failed.source), /await q\.done/);
    const all = cells.map(cellText).join('\n');
    assert.match(all, new RegExp(`source "ev": Kafka at ${b.bootstrap.replace(/\./g, '\\.')} is unreachable`), 'the outage warning is in the notebook');
    const last = cells.at(-1)!;
    assert.equal(last.execution_count, null, 'cells after the failure did not run');
    assert.doesNotMatch(all, /never reached/);
    recordFault('broker-gone', {
      done: `kill -9 of the broker under a live query, never restarted; broker timeout ${TIMEOUT_MS / 1000} s (run option brokerTimeout in a script, WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS for a headless notebook)`,
      saw: `the outage warning, then a KafkaError (code broker-lost) "Kafka at … has not answered for 10 s (topic …), so the client gave up …" ${(endedMs / 1000).toFixed(1)} s after the kill; \`windowpane run\` exited 1 after ${(exitMs / 1000).toFixed(1)} s with the notebook written up to the failed cell`,
      lost: 0,
      duplicated: 0,
      recoveryMs: null,
      recovery: `none (the broker stays dead): the outage is noticed ${(detectedMs / 1000).toFixed(1)} s after the kill, and the run ends ${TIMEOUT_MS / 1000} s later`,
      details: { detectedAfterKillMs: detectedMs, errorAfterKillMs: endedMs, cliExitAfterKillMs: exitMs, timeoutMs: TIMEOUT_MS, eventsCounted: stats.events, exitCode: code1 ?? -1 },
    });
  } finally {
    await q.close();
    if (child.exitCode === null) child.kill('SIGINT');
  }
});
