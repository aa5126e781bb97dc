import type { Worker } from 'node:worker_threads';
import { startThread } from '../thread.js';
import type { OutChannel, SendOptions, ToMain, ToWorker, WorkerConfig } from './bridge.js';
import type { Header } from './wire.js';

/** The main thread's end of the I/O thread: start it, send messages through it, hear from it. */
export class IoClient {
  private constructor(private readonly worker: Worker) {}

  /** Starts the I/O thread and resolves once its sockets are bound. */
  static async start(config: WorkerConfig, onMessage: (m: ToMain) => void): Promise<{ io: IoClient; sigint: boolean }> {
    const worker = startThread(import.meta.url, 'io-thread', config);
    const io = new IoClient(worker);
    const sigint = await new Promise<boolean>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: ToMain) => (m.kind === 'ready' ? resolve(m.sigint) : onMessage(m)));
    });
    // The kernel lives as long as its sockets do: the I/O thread ends on shutdown or on a fatal error.
    worker.on('error', (e) => {
      process.stderr.write(`windowpane kernel: the I/O thread failed: ${e.stack ?? e.message}\n`);
      process.exit(1);
    });
    worker.on('exit', (code) => process.exit(code));
    return { io, sigint };
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  send(channel: OutChannel, msgType: string, content: unknown, parent: Header | null, options: SendOptions = {}): void {
    this.post({ kind: 'send', channel, msgType, content, parent, options });
  }

  done(abortQueue: boolean): void {
    this.post({ kind: 'done', abortQueue });
  }

  sessionReady(): void {
    this.post({ kind: 'session-ready' });
  }

  started(msgId: string): void {
    this.post({ kind: 'started', msgId });
  }

  acknowledgeInterrupt(id: number): void {
    this.post({ kind: 'interrupt-ack', id });
  }

  shutdownReady(): void {
    this.post({ kind: 'shutdown-ready' });
  }
}
