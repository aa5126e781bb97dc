/**
 * A chart renderer's link to the kernel: the comm the kernel opened for the chart, claimed from
 * comms.ts; or, when none comes (the output was shown before this page loaded), a comm the renderer
 * opens itself, answered once the kernel's shell is free.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { Widget } from '@lumino/widgets';
import { claimComm, registerTarget } from './comms';
import { readToFrontend, type ToFrontend } from '../../../src/chart/protocol';

/** What a widget up the tree (the notebook panel, a console) knows of its kernel. */
interface SessionLike {
  readonly session: { readonly kernel: Kernel.IKernelConnection | null } | null;
  /** Resolves once the session has a kernel (after a page load it is still connecting). */
  readonly ready: Promise<void>;
}

function sessionOf(w: Widget | null): SessionLike | undefined {
  for (let p = w; p; p = p.parent) {
    const s = (p as unknown as { sessionContext?: SessionLike }).sessionContext;
    if (s) return s;
  }
  return undefined;
}

export interface ConnectionEvents {
  message(msg: ToFrontend): void;
  closed(): void;
  /** 'waiting', 'kernel', 'opening', 'closed', 'no kernel', 'failed: ...' (shown as data-comm). */
  status(s: string): void;
}

const OWN_COMM_AFTER_MS = 2000;

export class ChartConnection {
  private comm: Kernel.IComm | undefined;
  private awaitingKernel = false;
  private cancelClaim: (() => void) | undefined;
  private fallback: number | undefined;
  private disposed = false;

  constructor(
    private readonly chartId: string,
    private readonly commTarget: string,
    private readonly events: ConnectionEvents,
  ) {}

  get isOpen(): boolean {
    return this.comm !== undefined;
  }

  /** Finds the kernel of the notebook that holds `anchor` and links to it (once). */
  connect(anchor: Widget): void {
    if (this.disposed || this.comm || this.cancelClaim) return;
    const session = sessionOf(anchor);
    const kernel = session?.session?.kernel;
    this.events.status(kernel ? 'waiting' : 'no kernel');
    if (!kernel) {
      if (session && !this.awaitingKernel) {
        this.awaitingKernel = true;
        void session.ready.then(() => {
          this.awaitingKernel = false;
          if (session.session?.kernel) this.connect(anchor);
        });
      }
      return;
    }
    registerTarget(kernel);
    let claimed = false;
    const cancel = claimComm(this.chartId, (c) => {
      claimed = true;
      this.stopWaiting();
      if (this.disposed || this.comm) {
        c.comm.close();
        return;
      }
      this.comm = c.comm;
      this.events.status('kernel');
      c.listen(
        (msg) => this.events.message(msg),
        () => this.onClosed(),
      );
    });
    if (!claimed) {
      this.cancelClaim = cancel;
      this.fallback = window.setTimeout(() => this.openOwn(kernel), OWN_COMM_AFTER_MS);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.stopWaiting();
    const comm = this.comm;
    this.comm = undefined;
    if (comm && !comm.isDisposed) {
      try {
        comm.close();
      } catch {
        // Already closed by the kernel.
      }
    }
  }

  private onClosed(): void {
    this.comm = undefined;
    this.events.status('closed');
    this.events.closed();
  }

  private stopWaiting(): void {
    this.cancelClaim?.();
    this.cancelClaim = undefined;
    window.clearTimeout(this.fallback);
    this.fallback = undefined;
  }

  private openOwn(kernel: Kernel.IKernelConnection): void {
    this.stopWaiting();
    if (this.disposed || this.comm) return;
    this.events.status('opening');
    try {
      const comm = kernel.createComm(this.commTarget);
      comm.onMsg = (msg: KernelMessage.ICommMsgMsg) => {
        const data = readToFrontend(msg.content.data, msg.buffers);
        if (data) this.events.message(data);
      };
      comm.onClose = () => this.onClosed();
      comm.open({ chartId: this.chartId });
      this.comm = comm;
    } catch (e) {
      // No comm (an old kernel, a closed session): the output's snapshots keep the chart current.
      this.events.status(`failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
