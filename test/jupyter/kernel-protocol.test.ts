import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createHmac, randomUUID } from 'node:crypto';
import * as zmq from 'zeromq';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { startTestJupyter } from '../helpers/jupyter.js';
import { nextIOPub, result, run, text } from './kernel-helpers.js';

// Cells reach the notebook host through the library, as the chart code does.
const IMPORT = "import { notebookHost } from 'windowpane';\n";
const HOST = 'notebookHost()!';

/** The kernel process's connection file, found through its command line (-f <file>). */
function kernelProcess(kernelId: string): { pid: number; connection: { key: string; shell_port: number; ip: string; signature_scheme: string } } {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const file = argv[argv.indexOf('-f') + 1];
    if (argv.includes('-f') && file?.includes(kernelId)) return { pid: Number(pid), connection: JSON.parse(readFileSync(file, 'utf8')) as never };
  }
  throw new Error(`no process for kernel ${kernelId}`);
}

/** Sends one correctly signed request on a raw socket and returns the reply's header. */
async function signedRequest(connection: { key: string; ip: string }, port: number, msgType: string): Promise<{ msg_type: string }> {
  const dealer = new zmq.Dealer({ routingId: `raw-${randomUUID()}`, linger: 0 });
  dealer.connect(`tcp://${connection.ip}:${port}`);
  try {
    const header = { msg_id: randomUUID(), msg_type: msgType, session: 'raw', username: 'test', date: new Date().toISOString(), version: '5.3' };
    const parts = [header, {}, {}, {}].map((o) => Buffer.from(JSON.stringify(o)));
    const sig = createHmac('sha256', connection.key);
    for (const p of parts) sig.update(p);
    await dealer.send([Buffer.from('<IDS|MSG>'), Buffer.from(sig.digest('hex')), ...parts]);
    const [, , replyHeader] = await dealer.receive();
    return JSON.parse(replyHeader!.toString()) as { msg_type: string };
  } finally {
    dealer.close();
  }
}

const started = (kernel: Kernel.IKernelConnection, marker: string) => nextIOPub(kernel, (m) => m.header.msg_type === 'stream' && (m.content as { text: string }).text.includes(marker));

test('the windowpane kernel through a real Jupyter Server', { timeout: 180_000 }, async (t) => {
  const jupyter = await startTestJupyter();
  t.after(() => jupyter.stop());
  const kernel = await jupyter.startKernel();
  t.after(() => kernel.shutdown().catch(() => undefined));

  await t.test('kernel_info describes a TypeScript kernel', async () => {
    const info = (await kernel.info);
    assert.equal(info.protocol_version, '5.3');
    assert.equal(info.implementation, 'windowpane');
    assert.equal(info.language_info.name, 'typescript');
    assert.equal(info.language_info.file_extension, '.ts');
  });

  await t.test('user_expressions and silent execution', async () => {
    const future = kernel.requestExecute({ code: 'var ue = 5', user_expressions: { twice: 'ue * 2', bad: 'nope.nope' } });
    const reply = (await future.done).content as { status: string; execution_count: number; user_expressions: Record<string, { status: string; data?: Record<string, string>; ename?: string }> };
    assert.equal(reply.status, 'ok');
    assert.deepEqual(reply.user_expressions.twice, { status: 'ok', data: { 'text/plain': '10' }, metadata: {} });
    assert.equal(reply.user_expressions.bad!.status, 'error');
    const iopub: string[] = [];
    const silent = kernel.requestExecute({ code: 'ue + 1', silent: true });
    silent.onIOPub = (m) => void iopub.push(m.header.msg_type);
    const silentReply = (await silent.done).content as { status: string; execution_count: number };
    assert.equal(silentReply.status, 'ok');
    assert.equal(silentReply.execution_count, reply.execution_count, 'silent cells do not count');
    assert.deepEqual(iopub, ['status', 'status']);
  });

  await t.test('interrupting a busy loop, a loop after an await and a pending promise keeps state', async () => {
    assert.equal((await run(kernel, 'var kept = 41')).reply.status, 'ok');
    for (const code of ["console.log('looping'); while (true) {}", "await new Promise((r) => setTimeout(r, 10)); console.log('looping'); while (true) {}", "console.log('looping'); await new Promise(() => {})"]) {
      const running = run(kernel, code);
      await started(kernel, 'looping');
      await kernel.interrupt();
      const r = await running;
      assert.equal(r.reply.status, 'error', code);
      assert.equal((r.reply as { ename?: string }).ename, 'KeyboardInterrupt');
      assert.equal(result(await run(kernel, 'kept + 1')), '42');
    }
  });

  await t.test('SIGINT to the kernel process stops a busy loop too', async () => {
    const { pid } = kernelProcess(kernel.id);
    const running = run(kernel, "console.log('looping'); while (true) {}");
    await started(kernel, 'looping');
    process.kill(pid, 'SIGINT');
    assert.equal((await running).reply.status, 'error');
    assert.equal(result(await run(kernel, 'kept')), '41');
  });

  await t.test('heartbeat and control answer while a cell blocks the main thread', async () => {
    const { connection } = kernelProcess(kernel.id);
    const running = run(kernel, "console.log('looping'); while (true) {}");
    await started(kernel, 'looping');
    const hb = new zmq.Request({ linger: 0 });
    hb.connect(`tcp://${connection.ip}:${(connection as unknown as { hb_port: number }).hb_port}`);
    await hb.send('ping');
    assert.equal((await hb.receive())[0]!.toString(), 'ping');
    hb.close();
    const reply = await signedRequest(connection, (connection as unknown as { control_port: number }).control_port, 'kernel_info_request');
    assert.equal(reply.msg_type, 'kernel_info_reply');
    await kernel.interrupt();
    assert.equal((await running).reply.status, 'error');
  });

  // A timer of a finished cell that spins once a flag is set: a plain 50 ms timer could fire while
  // the kernel still finishes that cell's reply, and the cell would never be seen to end.
  const spinOnFlag = (flag: string, marker: string) =>
    `setTimeout(function poll() { if (!(globalThis as Record<string, unknown>).${flag}) return void setTimeout(poll, 5); console.log('${marker}'); while (true) {} }, 5)`;

  await t.test('an interrupt stops a loop in a timer of an earlier cell; the next cell runs', async () => {
    const spinning = started(kernel, 'spinning');
    await run(kernel, spinOnFlag('spinNow', 'spinning'));
    const trigger = run(kernel, '(globalThis as Record<string, unknown>).spinNow = true');
    await spinning;
    const queued = run(kernel, 'kept');
    await kernel.interrupt();
    // the loop belongs to the first cell: neither the cell that set the flag nor the queued one is hit
    assert.equal((await trigger).reply.status, 'ok');
    assert.equal(result(await queued), '41');
  });

  await t.test('an interrupt that stops a timer loop of a finished cell leaves the cell running now alone', async () => {
    const spinning = started(kernel, 'spinning again');
    await run(kernel, spinOnFlag('spinAgain', 'spinning again'));
    // this cell is running (awaiting) when the earlier cell's timer starts to spin
    const waiting = run(kernel, '(globalThis as Record<string, unknown>).spinAgain = true; await new Promise((r) => setTimeout(r, 300)); kept');
    await spinning;
    await kernel.interrupt();
    const reply = await waiting;
    assert.equal(reply.reply.status, 'ok');
    assert.equal(result(reply), '41');
  });

  await t.test('stop_on_error aborts cells queued behind a failing one', async () => {
    const failing = run(kernel, "throw new Error('boom')");
    const queued = run(kernel, 'kept = 0');
    assert.equal((await failing).reply.status, 'error');
    assert.equal((await queued).reply.status, 'aborted');
    assert.equal(result(await run(kernel, 'kept')), '41');
  });

  await t.test('a cell printing 20,000 lines: all of it, in few messages, and the cell ends', async () => {
    const r = await run(kernel, 'for (let i = 0; i < 20000; i++) console.log(i)');
    const out = text(r).split('\n');
    assert.equal(out.length, 20001);
    assert.equal(out[19999], '19999');
    assert.ok(r.iopub.filter((m) => m.header.msg_type === 'stream').length < 100);
  });

  await t.test('output of background work goes to the cell that started it', async () => {
    const late = nextIOPub(kernel, (m) => m.header.msg_type === 'stream' && (m.content as { text: string }).text.includes('late'));
    const first = await run(kernel, "setTimeout(() => console.log('late'), 200)");
    const second = await run(kernel, '1');
    const m = await late;
    assert.equal((m.parent_header as { msg_id: string }).msg_id, first.msgId);
    assert.notEqual(first.msgId, second.msgId);
  });

  await t.test('a display updated by its display_id', async () => {
    const r = await run(kernel, `${IMPORT}const h = ${HOST}; h.display({ 'text/plain': 'v1' }, { displayId: 'd1' }); h.display({ 'text/plain': 'v2' }, { displayId: 'd1', update: true });`);
    const shown = r.iopub.find((m) => m.header.msg_type === 'display_data') as KernelMessage.IDisplayDataMsg;
    const updated = r.iopub.find((m) => m.header.msg_type === 'update_display_data') as KernelMessage.IUpdateDisplayDataMsg;
    assert.deepEqual(shown.content.transient, { display_id: 'd1' });
    assert.deepEqual(updated.content.transient, { display_id: 'd1' });
    assert.deepEqual(updated.content.data, { 'text/plain': 'v2' });
  });

  await t.test('a comm round trip with binary buffers both ways', async () => {
    await run(kernel, `${IMPORT}${HOST}.registerCommTarget('echo', (comm, data, buffers) => { comm.send({ opened: data }, buffers); comm.onMessage((d, b) => comm.send({ echo: d }, b.map((x) => Uint8Array.from(x).reverse()))); });`);
    const comm = kernel.createComm('echo');
    const replies: KernelMessage.ICommMsgMsg[] = [];
    let got: () => void = () => undefined;
    comm.onMsg = (m) => {
      replies.push(m);
      if (replies.length === 2) got();
    };
    const two = new Promise<void>((r) => (got = r));
    await comm.open({ hello: 1 }, undefined, [new Uint8Array([1, 2, 3])]).done;
    await comm.send({ ping: 2 }, undefined, [new Uint8Array([4, 5, 6]).buffer]).done;
    await two;
    assert.deepEqual(replies[0]!.content.data, { opened: { hello: 1 } });
    // Buffers arrive as DataViews or ArrayBuffers, depending on the websocket protocol.
    const bytes = (b: ArrayBuffer | ArrayBufferView | undefined) => (b === undefined ? [] : ArrayBuffer.isView(b) ? [...new Uint8Array(b.buffer, b.byteOffset, b.byteLength)] : [...new Uint8Array(b)]);
    assert.deepEqual(bytes(replies[0]!.buffers?.[0]), [1, 2, 3]);
    assert.deepEqual(replies[1]!.content.data, { echo: { ping: 2 } });
    assert.deepEqual(bytes(replies[1]!.buffers?.[0]), [6, 5, 4]);
    const info = await kernel.requestCommInfo({ target_name: 'echo' });
    assert.ok(comm.commId in (info.content as { comms: Record<string, unknown> }).comms);
    comm.close();
  });

  await t.test('a comm to an unknown target is closed by the kernel', async () => {
    const comm = kernel.createComm('no-such-target');
    const closed = new Promise<void>((r) => (comm.onClose = () => r()));
    comm.open({});
    await closed;
  });

  await t.test('stdin: an input_request answered by the frontend', async () => {
    const r = await run(kernel, `const answer = await input('your name? '); console.log('hi ' + answer)`, { onInput: (prompt) => (prompt === 'your name? ' ? 'Ada' : 'wrong prompt') });
    assert.equal(r.reply.status, 'ok');
    assert.match(text(r), /hi Ada/);
  });

  await t.test('a message with a bad signature is dropped and the kernel keeps answering', async () => {
    const { connection } = kernelProcess(kernel.id);
    const dealer = new zmq.Dealer({ routingId: `bad-${randomUUID()}`, linger: 0 });
    dealer.connect(`tcp://${connection.ip}:${connection.shell_port}`);
    t.after(() => dealer.close());
    const frame = (o: unknown) => Buffer.from(JSON.stringify(o));
    const header = (id: string) => ({ msg_id: id, msg_type: 'execute_request', session: 'raw', username: 'test', date: new Date().toISOString(), version: '5.3' });
    const content = { code: 'var pwned = 1', silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true };
    const parts = [frame(header('bad-1')), frame({}), frame({}), frame(content)];
    await dealer.send([Buffer.from('<IDS|MSG>'), Buffer.from('0'.repeat(64)), ...parts]);
    // A correctly signed kernel_info_request on the same socket is answered (and the bad one never is).
    const good = [frame({ ...header('good-1'), msg_type: 'kernel_info_request' }), frame({}), frame({}), frame({})];
    const sig = createHmac('sha256', connection.key);
    for (const p of good) sig.update(p);
    await dealer.send([Buffer.from('<IDS|MSG>'), Buffer.from(sig.digest('hex')), ...good]);
    const [, , replyHeader, parentHeader] = await dealer.receive();
    assert.equal((JSON.parse(replyHeader!.toString()) as { msg_type: string }).msg_type, 'kernel_info_reply');
    assert.equal((JSON.parse(parentHeader!.toString()) as { msg_id: string }).msg_id, 'good-1');
    assert.equal(result(await run(kernel, 'typeof pwned')), "'undefined'");
  });

  await t.test('restart: a new process with fresh state', async () => {
    const before = kernelProcess(kernel.id).pid;
    await kernel.restart();
    await kernel.info;
    assert.notEqual(kernelProcess(kernel.id).pid, before);
    assert.equal(result(await run(kernel, 'typeof kept')), "'undefined'");
    const busy = run(kernel, '2 + 2');
    assert.equal(result(await busy), '4');
  });
});

test('a busy loop in the very first cell of a new kernel is interrupted; the kernel keeps its state and runs on', { timeout: 180_000 }, async (t) => {
  const jupyter = await startTestJupyter();
  t.after(() => jupyter.stop());
  const kernel = await jupyter.startKernel();
  t.after(() => kernel.shutdown().catch(() => undefined));
  // The session may still be loading and type-checking: the interrupt must wait for that, not cut into it.
  const running = run(kernel, "var first = 1; console.log('looping'); while (true) {}");
  await started(kernel, 'looping');
  await kernel.interrupt();
  const r = await running;
  assert.equal(r.reply.status, 'error');
  assert.equal((r.reply as { ename?: string }).ename, 'KeyboardInterrupt');
  assert.equal(result(await run(kernel, 'first + 1')), '2');
  assert.equal(result(await run(kernel, 'const tenfold: number = first * 10\ntenfold')), '10');
});
