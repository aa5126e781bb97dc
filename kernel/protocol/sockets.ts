import * as zmq from 'zeromq';
import { endpoint, type ConnectionInfo } from './connection.js';

/**
 * The kernel's ZeroMQ sockets, all owned by the I/O thread. A zeromq v6 socket allows one send in
 * flight, so every outgoing socket gets an Outbox that sends frames strictly in order.
 */
export class Outbox {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: zmq.Writable,
    private readonly onError: (e: unknown) => void,
  ) {}

  push(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(() => this.socket.send(frames)).catch(this.onError);
    return this.tail;
  }

  /** Resolves when everything pushed so far has been handed to ZeroMQ. */
  flushed(): Promise<void> {
    return this.tail;
  }
}

export interface KernelSockets {
  readonly shell: zmq.Router;
  readonly control: zmq.Router;
  readonly stdin: zmq.Router;
  readonly iopub: zmq.Publisher;
  readonly hb: zmq.Reply;
  close(): void;
}

export async function bindSockets(info: ConnectionInfo): Promise<KernelSockets> {
  const shell = new zmq.Router({ linger: 1000 });
  const control = new zmq.Router({ linger: 1000 });
  const stdin = new zmq.Router({ linger: 1000 });
  // PUB drops messages past its high-water mark; a dropped status: idle would hang the frontend.
  const iopub = new zmq.Publisher({ linger: 1000, sendHighWaterMark: 100_000 });
  const hb = new zmq.Reply({ linger: 0 });
  await Promise.all([
    shell.bind(endpoint(info, 'shell')),
    control.bind(endpoint(info, 'control')),
    stdin.bind(endpoint(info, 'stdin')),
    iopub.bind(endpoint(info, 'iopub')),
    hb.bind(endpoint(info, 'hb')),
  ]);
  return {
    shell,
    control,
    stdin,
    iopub,
    hb,
    close() {
      for (const s of [shell, control, stdin, iopub, hb]) s.close();
    },
  };
}

/** Heartbeat: echo every ping. Runs on the I/O thread, so a busy cell never stops it. */
export async function runHeartbeat(hb: zmq.Reply): Promise<void> {
  try {
    for await (const frames of hb) await hb.send(frames);
  } catch (e) {
    if (!hb.closed) throw e;
  }
}
