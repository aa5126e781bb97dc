import type { HostComm } from '../../src/notebook/host.js';

/** How a comm reaches the frontend; the manager supplies it (parent header, I/O thread). */
export interface CommWire {
  send(msgType: 'comm_open' | 'comm_msg' | 'comm_close', content: Record<string, unknown>, options?: { metadata?: Record<string, unknown>; buffers?: readonly Uint8Array[] }): void;
  closed(comm: KernelComm): void;
}

/** One comm, opened by either side. Binary buffers travel beside the JSON data both ways. */
export class KernelComm implements HostComm {
  private readonly messageHandlers: ((data: unknown, buffers: readonly Uint8Array[]) => void)[] = [];
  private readonly closeHandlers: ((data: unknown) => void)[] = [];
  private isClosed = false;

  constructor(
    readonly commId: string,
    readonly targetName: string,
    private readonly wire: CommWire,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  send(data: unknown, buffers: readonly Uint8Array[] = []): void {
    if (this.isClosed) return;
    this.wire.send('comm_msg', { comm_id: this.commId, data: data ?? {} }, { buffers });
  }

  close(data: unknown = {}): void {
    if (this.isClosed) return;
    this.wire.send('comm_close', { comm_id: this.commId, data });
    this.closedByPeer(data);
  }

  onMessage(handler: (data: unknown, buffers: readonly Uint8Array[]) => void): void {
    this.messageHandlers.push(handler);
  }

  onClose(handler: (data: unknown) => void): void {
    this.closeHandlers.push(handler);
  }

  /** A comm_msg from the frontend. */
  deliver(data: unknown, buffers: readonly Uint8Array[]): void {
    for (const h of this.messageHandlers) h(data, buffers);
  }

  /** comm_close from the frontend (or our own close): run the close handlers once. */
  closedByPeer(data: unknown): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.wire.closed(this);
    for (const h of this.closeHandlers) h(data);
  }
}
