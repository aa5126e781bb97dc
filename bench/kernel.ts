/**
 * Kernel responsiveness: time from process start to the first kernel_info_reply and to the first
 * cell's result, and the round trip of a trivial execute_request (request → execute_reply and
 * status idle) once the kernel is warm. Windowpane beside
 * tslab (the TypeScript kernel users have today), measured here in the same run over the same
 * ZeroMQ client. Printed, never asserted.
 *   node --import tsx bench/kernel.ts [starts] [executes]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { packageRoot } from '../src/util/paths.js';
import { decode, encode, Signer, type Header } from '../kernel/protocol/wire.js';
import { fmt, printTable, summarize } from './stats.js';

const starts = Number(process.argv[2] ?? 5);
const executes = Number(process.argv[3] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'windowpane-bench-kernel-'));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

interface Running {
  readonly proc: ChildProcess;
  readonly startMs: number;
  readonly t0: number;
  execute(code: string): Promise<number>;
  stop(): Promise<void>;
}

async function startKernel(argv: (file: string) => string[]): Promise<Running> {
  const key = randomUUID();
  const [shell, iopub, stdin, control, hb] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
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
  const replyTo = async (id: string): Promise<void> => {
    for (;;) {
      const d = decode(await dealer.receive(), signer);
      if (d.ok && (d.message.parent_header as { msg_id?: string }).msg_id === id) return;
    }
  };
  const idleFor = async (id: string): Promise<void> => {
    for (;;) {
      const d = decode(await sub.receive(), signer);
      if (!d.ok) continue;
      const h = d.message.header as { msg_type: string };
      if (h.msg_type === 'status' && (d.message.parent_header as { msg_id?: string }).msg_id === id && (d.message.content as { execution_state: string }).execution_state === 'idle') return;
    }
  };

  const t0 = performance.now();
  const proc = spawn(argv(file)[0]!, argv(file).slice(1), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) => proc.once('exit', (c) => reject(new Error(`kernel exited (${c}): ${err}`))));
  // The dealer holds the request until the kernel binds its socket.
  await Promise.race([replyTo(await request('kernel_info_request', {})), exited]);
  const startMs = performance.now() - t0;
  exited.catch(() => undefined);
  return {
    proc,
    startMs,
    t0,
    async execute(code) {
      const t = performance.now();
      const id = await request('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
      await Promise.all([replyTo(id), idleFor(id)]);
      return performance.now() - t;
    },
    async stop() {
      dealer.close();
      sub.close();
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await gone;
    },
  };
}

type Measured = { start: number[]; first: number[]; exec: number[] };
async function measure(label: string, argv: (file: string) => string[]): Promise<Measured | string> {
  const start: number[] = [];
  const first: number[] = [];
  const exec: number[] = [];
  try {
    for (let i = 0; i < starts; i++) {
      const k = await startKernel(argv);
      start.push(k.startMs);
      await k.execute('1');
      first.push(performance.now() - k.t0);
      if (i === 0) {
        // Warm-up: a kernel may type-check its first cells in the background (seconds, once).
        for (let j = 0; j < 3; j++) await k.execute('0');
        for (let j = 0; j < executes; j++) exec.push(await k.execute('1 + 1'));
      }
      await k.stop();
    }
    return { start, first, exec };
  } catch (e) {
    return `${label} could not run here: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const dist = join(packageRoot, 'dist', 'kernel', 'main.js');
const entry = process.env.WINDOWPANE_BENCH_ENTRY; // another kernel entry (.ts), e.g. while developing
const ours = entry
  ? { how: `node --import tsx ${entry}`, argv: (f: string) => [process.execPath, '--import', import.meta.resolve('tsx'), entry, '-f', f] }
  : existsSync(dist)
  ? { how: 'node dist/kernel/main.js', argv: (f: string) => [process.execPath, dist, '-f', f] }
  : { how: 'node --import tsx kernel/main.ts (dist/ not built)', argv: (f: string) => [process.execPath, '--import', import.meta.resolve('tsx'), join(packageRoot, 'kernel', 'main.ts'), '-f', f] };
const tslabBin = join(packageRoot, 'node_modules', 'tslab', 'bin', 'tslab');
const tslab = { how: 'tslab 1.0.22 kernel (TypeScript)', argv: (f: string) => [process.execPath, tslabBin, 'kernel', '--config-path', f] };

console.log(`windowpane: ${ours.how}; baseline: ${tslab.how}; ${starts} starts, ${executes} executes`);
const a = await measure('windowpane', ours.argv);
const b = existsSync(tslabBin) ? await measure('tslab', tslab.argv) : 'tslab is not installed (npm install --save-dev tslab)';
rmSync(dir, { recursive: true, force: true });
if (typeof a === 'string') console.log(a);
if (typeof b === 'string') console.log(b);
const cell = (r: typeof a, pick: keyof Measured) => (typeof r === 'string' ? 'n/a' : fmt(summarize(r[pick]), 'ms'));
const ratio = (pick: keyof Measured) => (typeof a === 'string' || typeof b === 'string' ? undefined : summarize(a[pick]).median / summarize(b[pick]).median);
printTable('Kernel start and execute round trip (lower is better)', [
  { case: 'start → first kernel_info_reply', ours: cell(a, 'start'), baseline: cell(b, 'start'), ...(ratio('start') === undefined ? {} : { ratio: ratio('start')! }) },
  { case: 'start → first cell result', ours: cell(a, 'first'), baseline: cell(b, 'first'), ...(ratio('first') === undefined ? {} : { ratio: ratio('first')! }) },
  { case: 'execute "1 + 1" → reply + idle (warm)', ours: cell(a, 'exec'), baseline: cell(b, 'exec'), ...(ratio('exec') === undefined ? {} : { ratio: ratio('exec')! }) },
]);
process.exit(0);
