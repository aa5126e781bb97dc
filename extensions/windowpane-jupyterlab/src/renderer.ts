/**
 * The chart renderer. The first model creates one live Vega view; while the query runs the renderer
 * takes the comm the kernel opened for the chart (or, if it missed it, e.g. after a page reload,
 * opens one itself) and applies the changesets it sends. Later models of the same output
 * (update_display_data) only matter without a comm or once the query has stopped: then the view is
 * brought to the model's rows by key. The view is never re-created for the same chart.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import { claimComm, registerTarget } from './comms';
import { LiveView } from './live-view';
import { CHART_MIME, COMM_TARGET, isPayload, isToFrontend, type ChartPayload, type ToFrontend } from './protocol';

/** A widget up the tree that knows its kernel: the notebook panel (or a console). */
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

export class ChartRenderer extends Widget implements IRenderMime.IRenderer {
  private live: LiveView | undefined;
  private creating: Promise<void> | undefined;
  private payload: ChartPayload | undefined;
  private comm: Kernel.IComm | undefined;
  private commLive = false;
  private awaitingKernel = false;
  private cancelClaim: (() => void) | undefined;
  private fallback: number | undefined;
  private readonly host = document.createElement('div');
  private readonly status = document.createElement('div');

  constructor(_options: IRenderMime.IRendererOptions) {
    super();
    this.addClass('jp-WindowpaneChart');
    this.status.className = 'jp-WindowpaneChart-state';
    this.node.append(this.host, this.status);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data: unknown = model.data[CHART_MIME];
    const payload = isPayload(data) ? data : undefined;
    if (!payload) {
      this.status.textContent = 'windowpane: this chart output is not in a format this extension knows.';
      return;
    }
    const previous = this.payload;
    this.payload = payload;
    const live = this.live;
    if (!live || previous?.chartId !== payload.chartId) {
      live?.finalize();
      this.live = undefined;
      this.closeComm();
      this.host.replaceChildren();
      this.creating = LiveView.create(this.host, payload).then((v) => {
        this.live = v;
        (this.node as unknown as { windowpaneView?: unknown }).windowpaneView = v;
      });
      await this.creating;
    } else if (!this.commLive || payload.state !== 'live') {
      live.replaceAll(payload.values);
      live.setSummary(payload.summary);
    }
    this.showState(payload.state);
    this.node.dataset.chartState = payload.state;
    if (payload.state === 'live' && this.isAttached) this.connect();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.payload?.state === 'live') this.connect();
  }

  override dispose(): void {
    this.closeComm();
    this.live?.finalize();
    super.dispose();
  }

  private showState(state: string): void {
    this.status.textContent = state === 'live' ? (this.commLive ? 'live' : 'live (snapshots)') : state;
  }

  private connect(): void {
    const payload = this.payload;
    if (this.comm || this.cancelClaim || !payload) return;
    const session = sessionOf(this);
    const kernel = session?.session?.kernel;
    // The comm's state shows on the node (data-comm) for tests and for bug reports.
    this.node.dataset.comm = kernel ? 'waiting' : 'no kernel';
    if (!kernel) {
      if (session && !this.awaitingKernel) {
        this.awaitingKernel = true;
        void session.ready.then(() => {
          this.awaitingKernel = false;
          if (!this.isDisposed && session.session?.kernel) this.connect();
        });
      }
      return;
    }
    registerTarget(kernel);
    let claimed = false;
    const cancel = claimComm(payload.chartId, (c) => {
      claimed = true;
      this.stopWaiting();
      if (this.comm || this.payload?.chartId !== payload.chartId) {
        c.comm.close();
        return;
      }
      this.comm = c.comm;
      this.node.dataset.comm = 'kernel';
      c.listen(
        (msg) => this.onMessage(msg),
        () => {
          this.comm = undefined;
          this.commLive = false;
          this.node.dataset.comm = 'closed';
        },
      );
    });
    // No comm from the kernel soon: this output was shown before this page was (a reload).
    if (!claimed) {
      this.cancelClaim = cancel;
      this.fallback = window.setTimeout(() => this.openOwn(kernel), 2000);
    }
  }

  private stopWaiting(): void {
    this.cancelClaim?.();
    this.cancelClaim = undefined;
    window.clearTimeout(this.fallback);
    this.fallback = undefined;
  }

  private openOwn(kernel: Kernel.IKernelConnection): void {
    this.stopWaiting();
    if (this.comm || !this.payload || this.payload.state !== 'live') return;
    this.node.dataset.comm = 'opening';
    try {
      const comm = kernel.createComm(this.payload.commTarget || COMM_TARGET);
      comm.onMsg = (msg: KernelMessage.ICommMsgMsg) => {
        if (isToFrontend(msg.content.data)) this.onMessage(msg.content.data);
      };
      comm.onClose = () => {
        this.comm = undefined;
        this.commLive = false;
        this.node.dataset.comm = 'closed';
      };
      comm.open({ chartId: this.payload.chartId });
      this.comm = comm;
    } catch (e) {
      // No comm (an old kernel, a closed session): the output's snapshots keep the chart current.
      this.comm = undefined;
      this.node.dataset.comm = `failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private onMessage(msg: ToFrontend): void {
    const live = this.live;
    if (!live) return;
    switch (msg.type) {
      case 'reset':
        if (this.node.dataset.comm === 'opening') this.node.dataset.comm = 'open';
        this.commLive = msg.state === 'live';
        live.replaceAll(msg.values);
        live.setSummary(msg.summary);
        this.showState(msg.state);
        break;
      case 'changes':
        live.upsert(msg.upsert, msg.remove);
        live.setSummary(msg.summary);
        break;
      case 'end':
        this.commLive = false;
        live.setSummary(msg.summary);
        this.showState(msg.state);
        this.node.dataset.chartState = msg.state;
        break;
      case 'unknown':
        this.node.dataset.comm = 'unknown chart';
        this.commLive = false;
        break;
    }
    this.node.dataset.chartUpdates = String(live.applied);
  }

  private closeComm(): void {
    this.stopWaiting();
    const comm = this.comm;
    this.comm = undefined;
    this.commLive = false;
    if (comm && !comm.isDisposed) {
      try {
        comm.close();
      } catch {
        // Already closed by the kernel.
      }
    }
  }
}
