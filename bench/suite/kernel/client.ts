/**
 * A minimal Jupyter client for timing any kernel the way bench/kernel.ts times Windowpane and
 * tslab: the same wire code (kernel/protocol/wire.ts), the same steps — process start to the first
 * kernel_info_reply, and execute_request to both execute_reply and status idle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { decode, encode, Signer, type Header } from '../../../kernel/protocol/wire.js';
import { freePort } from '../../../src/local-kafka/ports.js';

const TIMEOUT_MS = 60_000;

export interface KernelTimings {
  readonly start: number[];
  readonly execute: number[];
}

export interface Running {
  readonly startMs: number;
  /** performance.now() when the process was spawned (for start-to-first-result times). */
  readonly t0: number;
  execute(code: string): Promise<number>;
  /** Sends a shell request and resolves with its reply's content. */
  ask(msgType: string, content: unknown): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts a kernel process on a fresh connection file in `dir`; resolves at its first kernel_info_reply. */
export async function startKernel(dir: string, argv: (connectionFile: string) => string[], env: NodeJS.ProcessEnv = process.env): Promise<Running> {
  const key = randomUUID();
  const ports = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const [shell, iopub, stdin, control, hb] = ports as [number, number, number, number, number];
  const file = join(dir, `kernel-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify({ transport: 'tcp', ip: '127.0.0.1', key, signature_scheme: 'hmac-sha256', shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: hb, kernel_name: 'bench' }));
  const signer = new Signer('hmac-sha256', key);
  const dealer = new zmq.Dealer({ routingId: randomUUID(), reconnectInterval: 5, linger: 0 });
  const sub = new zmq.Subscriber({ reconnectInterval: 5, linger: 0 });
  sub.subscribe();
  dealer.connect(`tcp://127.0.0.1:${shell}`);
  sub.connect(`tcp://127.0.0.1:${iopub}`);
  const session = randomUUID();
  const request = async (msgType: string, content: unknown): Promise<string> => {
    const header: Header = { msg_id: randomUUID(), session, username: 'bench', date: new Date().toISOString(), msg_type: msgType, version: '5.3' };
    await dealer.send(encode({ ids: [], header, parent_header: {}, metadata: {}, content, buffers: [] }, signer));
    return header.msg_id;
  };
  const parentOf = (m: { parent_header: unknown }) => (m.parent_header as { msg_id?: string }).msg_id;
  const replyTo = async (id: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const d = decode(await dealer.receive(), signer);
      if (d.ok && parentOf(d.message) === id) return d.message.content as Record<string, unknown>;
    }
  };
  const idleFor = async (id: string): Promise<void> => {
    for (;;) {
      const d = decode(await sub.receive(), signer);
      if (!d.ok || parentOf(d.message) !== id) continue;
      if ((d.message.header as { msg_type: string }).msg_type === 'status' && (d.message.content as { execution_state: string }).execution_state === 'idle') return;
    }
  };

  const t0 = performance.now();
  const [cmd, ...args] = argv(file);
  const proc: ChildProcess = spawn(cmd!, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) => proc.once('exit', (c) => reject(new Error(`kernel exited (${c}): ${err.trim().split('\n').pop() ?? ''}`))));
  exited.catch(() => undefined);
  // a kernel that never answers is reported, not waited for
  const within = <T>(what: string, p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)));
    return Promise.race([p, exited, late]).finally(() => clearTimeout(timer));
  };
  // the dealer holds the request until the kernel binds its socket
  try {
    await within('kernel_info_request', replyTo(await request('kernel_info_request', {})));
  } catch (e) {
    dealer.close();
    sub.close();
    proc.kill('SIGKILL');
    throw e;
  }
  const startMs = performance.now() - t0;
  return {
    startMs,
    t0,
    async execute(code) {
      const t = performance.now();
      const id = await request('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
      const [reply] = await within('execute_request', Promise.all([replyTo(id), idleFor(id)]));
      const took = performance.now() - t;
      if (reply.status !== 'ok') throw new Error(`the cell ${JSON.stringify(code)} failed: ${String(reply.ename)}: ${String(reply.evalue)}`);
      return took;
    },
    async ask(msgType, content) {
      return within(msgType, replyTo(await request(msgType, content)));
    },
    async stop() {
      dealer.close();
      sub.close();
      if (proc.exitCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await gone;
    },
  };
}

/** `starts` cold starts; in the first, one warm-up cell then `executes` timed round trips. */
export async function timeKernel(dir: string, argv: (connectionFile: string) => string[], code: string, starts: number, executes: number): Promise<KernelTimings> {
  const start: number[] = [];
  const execute: number[] = [];
  for (let i = 0; i < starts; i++) {
    const k = await startKernel(dir, argv);
    try {
      start.push(k.startMs);
      if (i === 0) {
        await k.execute(code);
        for (let j = 0; j < executes; j++) execute.push(await k.execute(code));
      }
    } finally {
      await k.stop();
    }
  }
  return { start, execute };
}

/** Process start → the first complete_reply with matches (asked again at once while it has none). */
export async function firstCompletion(dir: string, argv: (connectionFile: string) => string[], code: string, env?: NodeJS.ProcessEnv): Promise<number> {
  const k = await startKernel(dir, argv, env);
  try {
    for (;;) {
      const reply = await k.ask('complete_request', { code, cursor_pos: Array.from(code).length });
      if (Array.isArray(reply.matches) && reply.matches.length > 0) return performance.now() - k.t0;
      if (performance.now() - k.t0 > TIMEOUT_MS) throw new Error(`no completion for ${code} within ${TIMEOUT_MS / 1000} s`);
    }
  } finally {
    await k.stop();
  }
}

/** Process start → the first cell's execute_reply and idle. */
export async function firstCell(dir: string, argv: (connectionFile: string) => string[], code: string, env?: NodeJS.ProcessEnv): Promise<number> {
  const k = await startKernel(dir, argv, env);
  try {
    await k.execute(code);
    return performance.now() - k.t0;
  } finally {
    await k.stop();
  }
}
