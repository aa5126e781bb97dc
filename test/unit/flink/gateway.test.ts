/**
 * The SQL Gateway client against recorded replies of a real Flink 2.2.1 gateway (fixtures in
 * test/fixtures/flink), served by a small loopback HTTP server: paging by nextResultUri through
 * NOT_READY, PAYLOAD and EOS with the changelog kinds, the job id, a failed statement's root
 * cause, a gateway that is down, and a server that is not a gateway.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlinkGateway } from '../../../src/flink/gateway.js';
import { restErrorDetail } from '../../../src/flink/rest.js';
import { FlinkError } from '../../../src/errors.js';
import { messages } from '../../../src/messages.js';
import { freePort } from '../../../src/local-kafka/ports.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'flink');
const recorded = JSON.parse(readFileSync(join(fixtures, 'fetch-pages.json'), 'utf8')) as { pages: unknown[] };
const validationError = readFileSync(join(fixtures, 'fetch-validation-error.json'), 'utf8');
const SESSION = '2fdd5097-8a53-47f8-a59e-c48fb7b89a7b';
const OPERATION = '927ddb12-b6d0-452f-aba6-20c4a2c74918';
const FAILING = '00000000-0000-0000-0000-00000000000f';

interface Seen {
  method: string;
  url: string;
  body: unknown;
}

async function body(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? JSON.parse(text) : undefined;
}

/** A fake gateway that replays the recorded pages; `seen` lists the requests. */
async function fakeGateway(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  let firstFetch = true;
  const server = createServer((req, res) => {
    void body(req).then((b) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: b });
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof value === 'string' ? value : JSON.stringify(value));
      };
      const ops = `/v4/sessions/${SESSION}/operations`;
      if (req.url === '/v1/info') return reply(200, { productName: 'Apache Flink', version: '2.2.1' });
      if (req.url === '/v1/api_versions') return reply(200, { versions: ['V1', 'V2', 'V3', 'V4'] });
      if (req.url === '/v4/sessions' && req.method === 'POST') return reply(200, { sessionHandle: SESSION });
      if (req.url === `/v4/sessions/${SESSION}/statements`) {
        const failing = String((b as { statement: string }).statement).includes('nosuch');
        return reply(200, { operationHandle: failing ? FAILING : OPERATION });
      }
      if (req.url === `${ops}/${OPERATION}/result/0?rowFormat=JSON`) {
        const page = firstFetch ? recorded.pages[0] : recorded.pages[1];
        firstFetch = false;
        return reply(200, page);
      }
      if (req.url === `${ops}/${OPERATION}/result/1?rowFormat=JSON`) return reply(200, recorded.pages[2]);
      if (req.url?.startsWith(`${ops}/${FAILING}/result/`)) return reply(500, validationError);
      if (req.url?.endsWith('/close') || (req.method === 'DELETE' && req.url === `/v4/sessions/${SESSION}`)) return reply(200, { status: 'CLOSED' });
      if (req.url?.endsWith('/cancel')) return reply(200, { status: 'CANCELED' });
      return reply(404, { errors: ['Not found: ' + String(req.url)] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

test('a query result is paged by nextResultUri through NOT_READY, PAYLOAD and EOS, with changelog kinds and the job id', async () => {
  const { url, seen, server } = await fakeGateway();
  try {
    const gateway = new FlinkGateway(url + '/');
    assert.deepEqual(await gateway.info(), { productName: 'Apache Flink', version: '2.2.1' });
    const session = await gateway.openSession({ 'parallelism.default': '2' }, 'test');
    const op = await session.execute('SELECT k, count(*) AS n FROM t GROUP BY k', { config: { 'pipeline.name': 'q' } });
    const result = await op.collect({ pollMs: 1 });
    assert.deepEqual(
      result.columns.map((c) => [c.name, c.logicalType.type, c.logicalType.nullable]),
      [
        ['k', 'VARCHAR', true],
        ['n', 'BIGINT', false],
      ],
    );
    assert.deepEqual(result.rows, [
      { kind: 'INSERT', fields: ['x', 1] },
      { kind: 'INSERT', fields: [null, 1] },
      { kind: 'UPDATE_BEFORE', fields: ['x', 1] },
      { kind: 'UPDATE_AFTER', fields: ['x', 2] },
    ]);
    assert.equal(result.jobId, '11de8b0d5bd5147516bc4daa756f43a4');
    assert.equal(op.jobId, '11de8b0d5bd5147516bc4daa756f43a4');
    await op.close();
    await session.close();

    const calls = seen.map((s) => `${s.method} ${s.url.replace(SESSION, 'S').replace(OPERATION, 'O')}`);
    assert.deepEqual(calls, [
      'GET /v1/info',
      'GET /v1/api_versions',
      'POST /v4/sessions',
      'POST /v4/sessions/S/statements',
      'GET /v4/sessions/S/operations/O/result/0?rowFormat=JSON', // NOT_READY: the same token again
      'GET /v4/sessions/S/operations/O/result/0?rowFormat=JSON',
      'GET /v4/sessions/S/operations/O/result/1?rowFormat=JSON',
      'DELETE /v4/sessions/S/operations/O/close',
      'DELETE /v4/sessions/S',
    ]);
    assert.deepEqual(seen[2]?.body, { properties: { 'parallelism.default': '2' }, sessionName: 'test' });
    assert.deepEqual(seen[3]?.body, { statement: 'SELECT k, count(*) AS n FROM t GROUP BY k', executionConfig: { 'pipeline.name': 'q' } });
  } finally {
    server.close();
  }
});

test('a failed statement names its root cause and the statement', async () => {
  const { url, server } = await fakeGateway();
  try {
    const session = await new FlinkGateway(url).openSession();
    const detail = "ValidationException: SQL validation failed. From line 1, column 18 to line 1, column 23: Object 'nosuch' not found";
    await assert.rejects(
      session.run('SELECT nope FROM nosuch'),
      (e: unknown) => e instanceof FlinkError && e.code === 'statement-failed' && e.message === messages.flinkStatementFailed('SELECT nope FROM nosuch', detail),
    );
    assert.equal(restErrorDetail(validationError), detail);
    assert.equal(restErrorDetail('{"errors":["Not found: /v9/x"]}'), 'Not found: /v9/x');
  } finally {
    server.close();
  }
});

test('a gateway that is down says where it was looked for and how to start the local cluster', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  await assert.rejects(new FlinkGateway(url).openSession(), (e: unknown) => {
    assert.ok(e instanceof FlinkError);
    assert.equal(e.code, 'gateway-unreachable');
    assert.equal(e.retriable, true);
    assert.equal(e.message, messages.flinkGatewayUnreachable(url, 'ECONNREFUSED'));
    assert.match(e.message, /windowpane flink start/);
    return true;
  });
});

test('a gateway that dies while it answers is a reset connection, named as the system names it', async () => {
  // the request arrives, then the process is gone: its socket closes without a reply
  const server = createServer((req) => req.socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    await assert.rejects(new FlinkGateway(url).openSession(), (e: unknown) => {
      assert.ok(e instanceof FlinkError);
      assert.equal(e.code, 'gateway-unreachable');
      assert.equal(e.message, messages.flinkGatewayUnreachable(url, 'ECONNRESET'));
      return true;
    });
  } finally {
    server.close();
  }
});

test('a server that is not a SQL Gateway is named as such', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>hello</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    await assert.rejects(new FlinkGateway(url).info(), (e: unknown) => e instanceof FlinkError && e.code === 'gateway-reply' && e.message === messages.flinkGatewayReply('report its version', url, 'not JSON'));
  } finally {
    server.close();
  }
});
