import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type * as zmq from 'zeromq';
import { messages } from '../../src/messages.js';
import type { OutChannel, SendOptions, ToMain, ToWorker, WorkerConfig } from './bridge.js';
import { Interrupter, onSigint } from './interrupter.js';
import { inInternalWork } from '../internal-work.js';
import { replyType, type AnyMessage } from './messages.js';
import { PROTOCOL_VERSION } from './kernel-info.js';
import { ShellQueue } from './shell-queue.js';
import { StreamBatcher } from './stream-batcher.js';
import { bindSockets, Outbox, runHeartbeat } from './sockets.js';
import { validate } from './validate.js';
import { decode, encode, Signer, type Header } from './wire.js';

/**
 * The I/O thread: a worker that owns every socket, answers heartbeats, checks signatures, queues
 * shell requests for the main thread and handles control requests itself, so a cell that blocks
 * the main thread can still be interrupted or shut down. See kernel/README.md.
 */
const port = parentPort!;
const config = workerData as WorkerConfig;
const signer = new Signer(config.connection.signature_scheme, config.connection.key);
const kernelSession = randomUUID();
const log = (text: string) => writeSync(2, `${text}\n`);
const post = (m: ToMain) => port.postMessage(m);

const sockets = await bindSockets(config.connection);
const outboxes: Record<OutChannel, Outbox> = {
  shell: new Outbox(sockets.shell, (e) => log(`windowpane kernel: shell send failed: ${String(e)}`)),
  control: new Outbox(sockets.control, (e) => log(`windowpane kernel: control send failed: ${String(e)}`)),
  stdin: new Outbox(sockets.stdin, (e) => log(`windowpane kernel: stdin send failed: ${String(e)}`)),
  iopub: new Outbox(sockets.iopub, (e) => log(`windowpane kernel: iopub send failed: ${String(e)}`)),
};

function send(channel: OutChannel, msgType: string, content: unknown, parent: Header | null, options: SendOptions = {}): void {
  const header: Header = { msg_id: randomUUID(), session: kernelSession, username: 'windowpane', date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
  const ids = channel === 'iopub' ? [Buffer.from(msgType)] : (options.ids ?? []);
  void outboxes[channel].push(encode({ ids, header, parent_header: parent ?? {}, metadata: options.metadata ?? {}, content, buffers: options.buffers ?? [] }, signer));
}

const streams = new StreamBatcher((parent, name, text) => send('iopub', 'stream', { name, text }, parent));

/** Every message from the main thread: streams are batched, anything else flushes them first. */
function relay(channel: OutChannel, msgType: string, content: unknown, parent: Header | null, options: SendOptions): void {
  if (channel === 'iopub' && msgType === 'stream') {
    const { name, text } = content as { name: string; text: string };
    return streams.add(parent, name, text);
  }
  streams.flush();
  send(channel, msgType, content, parent, options);
}

const status = (state: 'busy' | 'idle', parent: Header) => {
  streams.flush();
  send('iopub', 'status', { execution_state: state }, parent);
};

/** busy → reply → idle, for requests answered on this thread. */
function answer(msg: AnyMessage, content: unknown): void {
  status('busy', msg.header);
  send(msg.channel === 'control' ? 'control' : 'shell', replyType(msg.header.msg_type), content, msg.header, { ids: msg.ids });
  status('idle', msg.header);
}

const shell = new ShellQueue({
  answerHere: (msg) => answer(msg, config.kernelInfo),
  dispatch: (msg) => {
    status('busy', msg.header);
    post({ kind: 'request', message: msg });
  },
  abort: (msg) => answer(msg, { status: 'aborted' }),
  unsupported: (msg) => log(messages.kernelMessageDropped('shell', `${msg.header.msg_type} is not a shell request`)),
});

// Terminating JavaScript never hits the kernel's own work: loading the session, compiling and
// type-checking are marked on the main thread, and the interrupter waits until they are done.
let sessionReady = false;
const interrupter = new Interrupter(post, config.interruptGraceMs, () => sessionReady, () => inInternalWork(config.internalWork));
// The execution the main thread has started (not merely been handed): the one an interrupt aborts.
let started: string | undefined;
const interruptRunning = () => interrupter.interrupt(started);
const sigint = onSigint(interruptRunning);

// Shutdown: the main thread releases the session and says shutdown-ready; then reply and leave.
let shutdown: { readonly msg: AnyMessage; readonly restart: boolean } | undefined;
let finishing = false;
async function finishShutdown(forced: boolean): Promise<void> {
  if (!shutdown || finishing) return;
  finishing = true;
  answer(shutdown.msg, { status: 'ok', restart: shutdown.restart });
  await Promise.all(Object.values(outboxes).map((o) => o.flushed()));
  sockets.close();
  // The main thread exits when this worker does; one that never answered may be stuck in native code.
  if (forced) process.kill(process.pid, 'SIGTERM');
  port.close();
  process.exit(0);
}

function onControl(msg: AnyMessage): void {
  switch (msg.header.msg_type) {
    case 'kernel_info_request':
      return answer(msg, config.kernelInfo);
    case 'interrupt_request':
      interruptRunning();
      return answer(msg, { status: 'ok' });
    case 'shutdown_request': {
      if (shutdown) return;
      shutdown = { msg, restart: (msg.content as { restart: boolean }).restart };
      interruptRunning(); // also ends a loop in background work, so the main thread can answer
      post({ kind: 'shutdown', restart: shutdown.restart });
      setTimeout(() => void finishShutdown(true), 5000).unref();
      return;
    }
    default:
      // Everything else (comm, execute...) belongs on shell; accept it there too, as ipykernel does.
      return shell.push(msg);
  }
}

async function receive(socket: zmq.Router, channel: 'shell' | 'control' | 'stdin', route: (msg: AnyMessage) => void): Promise<void> {
  for await (const frames of socket) {
    const decoded = decode(frames, signer);
    if (!decoded.ok) {
      log(messages.kernelMessageDropped(channel, decoded.reason));
      continue;
    }
    const valid = validate(decoded.message, channel);
    if (!valid.ok) {
      log(messages.kernelMessageDropped(channel, valid.reason));
      continue;
    }
    route(valid.message);
  }
}

port.on('message', (m: ToWorker) => {
  switch (m.kind) {
    case 'send':
      return relay(m.channel, m.msgType, m.content, m.parent, m.options);
    case 'session-ready':
      sessionReady = true;
      return;
    case 'started':
      started = m.msgId;
      return;
    case 'done':
      started = undefined;
      return shell.done(m.abortQueue, (finished) => status('idle', finished.header));
    case 'interrupt-ack':
      return interrupter.acknowledge(m.id);
    case 'shutdown-ready':
      return void finishShutdown(false);
  }
});

const loops = [
  receive(sockets.shell, 'shell', (msg) => shell.push(msg)),
  receive(sockets.control, 'control', onControl),
  receive(sockets.stdin, 'stdin', (msg) => (msg.header.msg_type === 'input_reply' ? post({ kind: 'input-reply', message: msg }) : log(messages.kernelMessageDropped('stdin', `unexpected ${msg.header.msg_type}`)))),
  runHeartbeat(sockets.hb),
];
post({ kind: 'ready', sigint });
for (const loop of loops) loop.catch((e: unknown) => log(`windowpane kernel: socket loop failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
