/** A NotebookHost that records what the chart sends, for unit tests (the real kernel is tested in test/browser). */
import type { HostComm, MimeBundle, NotebookHost } from '../../../src/notebook/host.js';
import { readToFrontend, type ToFrontend } from '../../../src/chart/protocol.js';

export interface Shown {
  readonly data: MimeBundle;
  readonly displayId: string | undefined;
  readonly update: boolean;
}

export class RecordingComm implements HostComm {
  readonly commId = 'comm-1';
  readonly sent: unknown[] = [];
  /** The binary buffers of each message sent. */
  readonly buffers: (readonly Uint8Array[])[] = [];
  closed = false;
  private closeHandlers: ((data: unknown) => void)[] = [];
  constructor(readonly targetName: string) {}
  send(data: unknown, buffers: readonly Uint8Array[] = []): void {
    this.sent.push(data);
    this.buffers.push(buffers);
  }
  /** The messages as the renderer reads them (Arrow rows decoded, every message checked). */
  received(): (ToFrontend | undefined)[] {
    return this.sent.map((d, i) => readToFrontend(d, this.buffers[i]));
  }
  close(): void {
    this.closed = true;
  }
  onMessage(): void {}
  onClose(handler: (data: unknown) => void): void {
    this.closeHandlers.push(handler);
  }
  /** The frontend closes the comm. */
  closeFromFrontend(): void {
    for (const h of this.closeHandlers) h({});
  }
}

export class RecordingHost implements NotebookHost {
  readonly shown: Shown[] = [];
  readonly targets = new Map<string, (comm: HostComm, data: unknown, buffers: readonly Uint8Array[]) => void>();
  private readonly controller = new AbortController();
  constructor(readonly headless = false) {}
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  interrupt(): void {
    this.controller.abort();
  }
  display(data: MimeBundle, options: { displayId?: string; update?: boolean } = {}): void {
    this.shown.push({ data, displayId: options.displayId, update: options.update ?? false });
  }
  /** Comms the kernel side opened, with the comm_open data. */
  readonly opened: { comm: RecordingComm; data: unknown }[] = [];
  openComm(targetName: string, data?: unknown): HostComm {
    const comm = new RecordingComm(targetName);
    this.opened.push({ comm, data });
    return comm;
  }
  registerCommTarget(targetName: string, handler: (comm: HostComm, data: unknown, buffers: readonly Uint8Array[]) => void): void {
    this.targets.set(targetName, handler);
  }
  /** The frontend opens a comm to `target` with `data`. */
  openFromFrontend(target: string, data: unknown): RecordingComm {
    const comm = new RecordingComm(target);
    const handler = this.targets.get(target);
    if (!handler) throw new Error(`no comm target ${target}`);
    handler(comm, data, []);
    return comm;
  }
}
