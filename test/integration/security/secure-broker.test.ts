/**
 * `windowpane kafka start --secure` for real: a private broker (own state folder, free port) with
 * SASL/SCRAM-SHA-512 over TLS. The library, `windowpane replay` and a headless `windowpane run`
 * (a live query with a Kafka sink, a chart, an HTML export) log in with the local broker's own
 * credentials; a wrong password is a clear, non-retriable error; and no notebook, provenance,
 * HTML page or log holds the password or a private key.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { loadKafkaSettings, sql, source, type Provenance } from '../../../src/index.js';
import { createKafka } from '../../../src/kafka/client.js';
import { freePort } from '../../../src/local-kafka/ports.js';
import { readNotebook } from '../../../src/runner/notebook.js';
import { installTestKernel, type TestKernelSpec } from '../../helpers/jupyter.js';

const execFileP = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'bin', 'windowpane.js');
console.debug = () => undefined;

let dir: string;
let state: string;
let env: NodeJS.ProcessEnv;
let spec: TestKernelSpec;
let started: { bootstrap: string; port: number; secure: { mechanism: string; username: string; credentials: string; ca: string } };
let password: string;
/** Everything the CLI printed, on stdout and stderr, over the whole file. */
const printed: string[] = [];

/** `windowpane ARGS` as a user runs it; what it prints is kept for the leak check. */
function windowpane(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      printed.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A client with explicit settings (the environment a user would set), here with the given password. */
function clientWith(pass: string): Kafka {
  return createKafka(
    loadKafkaSettings(
      { WINDOWPANE_KAFKA_BROKERS: started.bootstrap, WINDOWPANE_KAFKA_CA: started.secure.ca, WINDOWPANE_KAFKA_SASL_MECHANISM: 'scram-sha-512', WINDOWPANE_KAFKA_USERNAME: started.secure.username, WINDOWPANE_KAFKA_PASSWORD: pass },
      dir,
    ),
  );
}

before(async () => {
  assert.ok(existsSync(join(root, 'dist', 'src', 'cli', 'main.js')), 'the CLI is not built: run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'windowpane-secure-'));
  state = join(dir, 'state');
  // nothing of the shared test broker or of a configured cluster: only the local secure broker
  env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WINDOWPANE_KAFKA_') || k === 'WINDOWPANE_KAFKA_LIB'));
  delete env.WINDOWPANE_TEST_BROKERS;
  delete env.WINDOWPANE_CONFIG;
  env = { ...env, WINDOWPANE_STATE_DIR: state, WINDOWPANE_KAFKA_PORT: String(await freePort()), CI: 'true', KAFKAJS_NO_PARTITIONER_WARNING: '1' };
  const r = await windowpane(['kafka', 'start', '--secure', '--json']);
  assert.equal(r.code, 0, r.stderr);
  started = JSON.parse(r.stdout) as typeof started;
  password = (JSON.parse(readFileSync(started.secure.credentials, 'utf8')) as { password: string }).password;
  spec = await installTestKernel();
});

after(async () => {
  if (env) await windowpane(['kafka', 'stop']);
  spec?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('kafka start --secure: SASL_SSL on 127.0.0.1, secrets in files of mode 0600, the password never printed', () => {
  assert.match(started.bootstrap, /^127\.0\.0\.1:\d+$/);
  assert.deepEqual({ mechanism: started.secure.mechanism, username: started.secure.username }, { mechanism: 'scram-sha-512', username: 'windowpane' });
  assert.ok(password.length >= 32, 'a long random password');
  assert.ok(!printed.join('\n').includes(password), 'kafka start --json does not print the password');
  const secureDir = join(state, 'kafka', 'secure');
  for (const f of ['credentials.json', 'store-password', 'broker.p12', 'ca.p12', 'truststore.p12']) {
    assert.equal(statSync(join(secureDir, f)).mode & 0o777, 0o600, f);
  }
  assert.equal(statSync(join(state, 'kafka', 'server.properties')).mode & 0o777, 0o600, 'server.properties holds the keystore password');
  assert.match(readFileSync(started.secure.ca, 'utf8'), /-----BEGIN CERTIFICATE-----/);
  const props = readFileSync(join(state, 'kafka', 'server.properties'), 'utf8');
  assert.match(props, /^listeners=SASL_SSL:\/\/127\.0\.0\.1:\d+,CONTROLLER:\/\/127\.0\.0\.1:\d+$/m, 'both listeners bind loopback only');
  assert.match(props, /^sasl\.enabled\.mechanisms=SCRAM-SHA-512$/m);
});

test('a wrong password is a clear, non-retriable error naming the user, from the library and from replay', async () => {
  const events = source({ name: 'events', time: 't', schema: { t: 'TIMESTAMP', v: 'BIGINT' }, live: { topic: 'no-such-login' } });
  await assert.rejects(sql(`SELECT window_start, count(*) AS n FROM TUMBLE(events, t, '1 minute') GROUP BY ALL`, { sources: { events }, kafka: clientWith('wrong'), until: 'caughtUp' }), (e: unknown) => {
    const err = e as { code?: string; retriable?: boolean; message: string };
    assert.equal(err.code, 'broker-auth');
    assert.equal(err.retriable, false);
    assert.match(err.message, /did not accept the credentials of user "windowpane" \(scram-sha-512\)/);
    assert.match(err.message, /WINDOWPANE_KAFKA_PASSWORD/);
    return true;
  });
  const csv = join(dir, 'three.csv');
  writeFileSync(csv, 't,v\n2024-01-01 00:00:00,1\n');
  const r = await windowpane(['replay', csv, '--topic', 'anything', '--rate', '100/s'], {
    WINDOWPANE_KAFKA_BROKERS: started.bootstrap, WINDOWPANE_KAFKA_CA: started.secure.ca, WINDOWPANE_KAFKA_SASL_MECHANISM: 'scram-sha-512', WINDOWPANE_KAFKA_USERNAME: 'windowpane', WINDOWPANE_KAFKA_PASSWORD: 'wrong',
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^windowpane replay: Kafka at 127\\.0\\.0\\.1:${started.port} did not accept the credentials of user "windowpane" \\(scram-sha-512\\)`));
  assert.doesNotMatch(r.stderr, /KafkaJS\w+Error:|\n\s+at /, 'no kafkajs stack');
});

test('replay, a live query with a Kafka sink, a chart and an HTML export log in by themselves and leak no secret', { timeout: 300_000 }, async () => {
  // 1. Topics and a replayed stream, with the local broker's own credentials (none in the environment).
  for (const [topic, partitions] of [['secure-events', '2'], ['secure-counts', '1']] as const) {
    const t = await windowpane(['kafka', 'topic', 'create', topic, '--partitions', partitions]);
    assert.equal(t.code, 0, t.stderr);
  }
  const csv = join(dir, 'events.csv');
  writeFileSync(csv, ['t,v', ...Array.from({ length: 120 }, (_, i) => `${new Date(Date.UTC(2024, 0, 1) + i * 5_000).toISOString()},${i % 7}`)].join('\n') + '\n');
  const replay = await windowpane(['replay', csv, '--topic', 'secure-events', '--rate', '10000/s']);
  assert.equal(replay.code, 0, replay.stderr);
  assert.match(replay.stderr + replay.stdout, /replayed 120 of 120 rows to secure-events/);

  // 2. A notebook: the live query sinks its final rows into Kafka and draws a chart; the settings it shows hide the password.
  const code = (src: string, tags: string[] = []) => ({ cell_type: 'code', execution_count: null, metadata: tags.length ? { tags } : {}, outputs: [], source: src });
  const input = join(dir, 'secure.ipynb');
  writeFileSync(input, JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'windowpane', display_name: 'TypeScript (Windowpane)', language: 'typescript' } },
    cells: [
      code([
        `import { chart, kafkaSink, resolveSettings, source, sql } from 'windowpane';`,
        `const events = source({ name: 'events', time: 't', history: { kafkaBacklog: true }, live: { topic: 'secure-events' }, schema: { t: 'TIMESTAMP', v: 'BIGINT' } });`,
        'const q = await sql(`SELECT window_start, count(*) AS n, sum(v) AS total FROM TUMBLE(events, t, \'1 minute\') GROUP BY ALL`, { sources: { events }, emit: \'final\', until: \'caughtUp\', flush: true });',
        `const sink = await q.sink(kafkaSink({ topic: 'secure-counts' }));`,
        `const view = chart(q, { mark: 'bar', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } } });`,
      ].join('\n')),
      code([`const written = await sink.done;`, `await view.done;`, `console.log('messages', written.messages);`].join('\n')),
      code([`const settings = resolveSettings();`, `console.log(settings);`, `console.log(JSON.stringify(settings));`, `settings`].join('\n')),
    ],
  }));
  const output = join(dir, 'secure.out.ipynb');
  const html = join(dir, 'secure.html');
  const run = await windowpane(['run', input, '-o', output, '--html', html, '--cell-timeout', '120'], spec.env);
  assert.equal(run.code, 0, run.stderr);
  const notebookText = readFileSync(output, 'utf8');
  assert.match(notebookText, /messages 10\b/, 'the sink wrote the ten final minutes');
  assert.match(notebookText, /username: 'windowpane'/, 'the settings printed in a cell name the user');
  assert.match(notebookText, /\\"mechanism\\":\\"scram-sha-512\\"/, 'the settings as JSON name the mechanism');

  // 3. The sink's topic holds the rows (read with the credentials from the file).
  const admin = clientWith(password).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets('secure-counts');
  await admin.disconnect();
  assert.equal(offsets.reduce((n, p) => n + Number(p.high), 0), 10);

  // 4. Provenance records the brokers, never a credential.
  const recorded = (readNotebook(output).metadata.windowpane as unknown as { provenance: { provenance: Provenance }[] }).provenance;
  assert.equal(recorded.length, 1);
  assert.deepEqual(recorded[0]!.provenance.kafka?.brokers, [started.bootstrap]);

  // 5. No secret anywhere: the notebook (and its provenance), the HTML page, the CLI's output, every log in the state folder.
  const storePassword = readFileSync(join(state, 'kafka', 'secure', 'store-password'), 'utf8').trim();
  const keyBody = async (store: string, alias: string) =>
    (await execFileP('java', [join(root, 'test', 'helpers', 'PrivateKeyBody.java'), join(state, 'kafka', 'secure', store), alias], { env: { ...process.env, WINDOWPANE_STORE_PASS: storePassword } })).stdout.trim();
  const keys = [await keyBody('broker.p12', 'broker'), await keyBody('ca.p12', 'ca')];
  // a PEM file holds the body in lines of 64 characters: none of them may appear
  const secrets = [password, storePassword, ...keys.flatMap((k) => [k, ...(k.match(/.{1,64}/g) ?? [])])];
  const logs = readdirSync(join(state, 'kafka', 'logs')).map((f) => join(state, 'kafka', 'logs', f));
  assert.ok(logs.some((f) => f.endsWith('server.log')), 'the broker logged');
  const places: [string, string][] = [
    ['the executed notebook', notebookText],
    ['the provenance', JSON.stringify(recorded)],
    ['the HTML export', readFileSync(html, 'utf8')],
    ['the CLI output', printed.join('\n')],
    ['the settings as printed in Node', inspect(loadKafkaSettings({ WINDOWPANE_KAFKA_SASL_MECHANISM: 'scram-sha-512', WINDOWPANE_KAFKA_USERNAME: 'windowpane', WINDOWPANE_KAFKA_PASSWORD: password }, dir), { depth: 9 })],
    ...logs.map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
  ];
  for (const [where, text] of places) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${where} contains a secret (${secret === password ? 'the password' : secret === storePassword ? 'the keystore password' : 'a private key'})`);
  }
});
