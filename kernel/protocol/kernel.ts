import { runDefaults, setRunDefaults } from '../../src/engine/run/defaults.js';
import { setNotebookHost } from '../../src/notebook/host.js';
import { CommManager } from '../comm/manager.js';
import { applyHeadlessRunDefaults } from '../headless.js';
import { createNotebookHost } from '../host.js';
import { currentExecution } from '../session/context.js';
import type { Session, SessionOptions } from '../session/types.js';
import type { ToMain } from './bridge.js';
import { readConnectionFile } from './connection.js';
import { handle, type HandlerState } from './handlers.js';
import { History } from './history.js';
import { IoClient } from './io-client.js';
import { shareInternalWork } from '../internal-work.js';
import { kernelInfo } from './kernel-info.js';
import { StdinBroker } from './stdin.js';

export interface KernelOptions {
  readonly connectionFile: string;
  readonly createSession: (options: SessionOptions) => Promise<Session>;
  readonly cwd?: string;
  /** How long an interrupt waits for the main thread before terminating its JavaScript (ms). */
  readonly interruptGraceMs?: number;
}

/**
 * Starts the kernel: the I/O thread first (so heartbeats and kernel_info are answered while the
 * TypeScript session loads), then the session; requests wait for the session.
 */
export async function startKernel(options: KernelOptions): Promise<void> {
  // 1. Read the connection file and start the I/O thread.
  const connection = readConnectionFile(options.connectionFile);
  const ready: { state?: HandlerState } = {};
  const early: ToMain[] = [];
  const onMessage = (m: ToMain) => (ready.state ? dispatch(ready.state, m) : early.push(m));
  const { io, sigint } = await IoClient.start({ connection, kernelInfo: kernelInfo(), interruptGraceMs: options.interruptGraceMs ?? 150, internalWork: shareInternalWork() }, onMessage);

  // 2. The notebook host and, when headless, the runner's bound for the library; then the session.
  const comms = new CommManager(io);
  setNotebookHost(createNotebookHost(comms));
  // interrupting a cell stops the runs it started
  setRunDefaults({ ...runDefaults(), signal: () => currentExecution()?.signal });
  applyHeadlessRunDefaults();
  const session = await options.createSession({ cwd: options.cwd ?? process.cwd() });
  const s: HandlerState = { io, session, comms, history: new History(), stdin: new StdinBroker(io), executionCount: 0, current: undefined };

  // 3. SIGINT: the I/O thread hears it even while a cell blocks this thread. The listener here keeps
  //    Node from exiting on SIGINT, and interrupts by itself when the I/O thread cannot listen.
  process.on('SIGINT', () => {
    if (!sigint) s.current?.interrupt();
  });
  // 4. A failure in a cell's background work is shown in that cell; it never ends the kernel.
  const report = (e: unknown) => {
    const text = `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
    const ctx = currentExecution();
    if (ctx) ctx.stream('stderr', text);
    else process.stderr.write(`windowpane kernel: ${text}`);
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
  ready.state = s;
  io.sessionReady();
  for (const m of early.splice(0)) dispatch(s, m);
}

/** Interrupts the execution the interrupt was meant for, never one that started after it. */
function interruptTarget(state: HandlerState, target: string | undefined): void {
  if (target !== undefined && state.current?.id === target) state.current.interrupt();
}

function dispatch(state: HandlerState, m: ToMain): void {
  switch (m.kind) {
    case 'ready':
      return;
    case 'request':
      // A fresh macrotask: if a cell's loop in it is terminated, only this task unwinds.
      setImmediate(() => {
        void handle(state, m.message).then((abortQueue) => state.io.done(abortQueue));
      });
      return;
    case 'input-reply':
      return state.stdin.reply((m.message.content as { value: string }).value);
    case 'interrupt':
      return state.io.acknowledgeInterrupt(m.id);
    case 'abort':
      return interruptTarget(state, m.target);
    case 'shutdown':
      void Promise.race([state.session.dispose().catch(() => undefined), new Promise((r) => setTimeout(r, 3000))]).then(() => state.io.shutdownReady());
      return;
  }
}
