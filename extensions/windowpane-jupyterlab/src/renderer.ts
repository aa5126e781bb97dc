/**
 * The chart renderer. The first model creates one live Vega view; while the query runs the renderer
 * follows the kernel's comm for the chart (connection.ts) and applies the changesets it sends.
 * Later models of the same output (update_display_data) only matter without a comm or once the
 * query has stopped: then the view is brought to the model's rows by key. The view is never
 * re-created for the same chart.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import type { Message } from '@lumino/messaging';
import { ChartConnection } from './connection';
import { LiveView } from './live-view';
import { StatusView } from './status-line';
import { CHART_MIME, COMM_TARGET, isPayload, PROVENANCE_METADATA_KEY, type ChartPayload, type ToFrontend } from '../../../src/chart/protocol';

export class ChartRenderer extends Widget implements IRenderMime.IRenderer {
  private live: LiveView | undefined;
  private payload: ChartPayload | undefined;
  private connection: ChartConnection | undefined;
  /** The comm has sent its reset and the query still runs: it, not the snapshots, drives the view. */
  private commLive = false;
  private readonly host = document.createElement('div');
  private readonly status = document.createElement('div');
  /** The query's status line (charts of a query). */
  private readonly statusLine = new StatusView();

  constructor(_options: IRenderMime.IRendererOptions) {
    super();
    this.addClass('jp-WindowpaneChart');
    this.status.className = 'jp-WindowpaneChart-state';
    this.node.append(this.host, this.statusLine.node, this.status);
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
    this.statusLine.setProvenance(model.metadata[PROVENANCE_METADATA_KEY]);
    const live = this.live;
    if (!live || previous?.chartId !== payload.chartId) {
      this.reset();
      const created = await LiveView.create(this.host, payload);
      if (this.payload !== payload) {
        created.finalize();
        return;
      }
      this.live = created;
      // The live view, for tests and debugging: node.windowpaneView.view is the Vega view.
      (this.node as unknown as { windowpaneView?: unknown }).windowpaneView = created;
      this.connection = new ChartConnection(payload.chartId, payload.commTarget || COMM_TARGET, {
        message: (msg) => this.onMessage(msg),
        closed: () => (this.commLive = false),
        status: (s) => (this.node.dataset.comm = s),
      });
    } else if (!this.commLive || payload.state !== 'live') {
      live.setLive(payload.state === 'live');
      live.replaceAll(payload.values);
      live.setSummary(payload.summary);
    }
    if (!this.commLive || payload.state !== 'live') this.statusLine.show(payload.status);
    this.showState(payload.state);
    this.node.dataset.chartState = payload.state;
    this.connectIfLive();
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.connectIfLive();
  }

  override dispose(): void {
    this.reset();
    super.dispose();
  }

  /** Connects only once the view exists, so that the comm's reset has somewhere to go. */
  private connectIfLive(): void {
    if (this.live && this.isAttached && this.payload?.state === 'live') this.connection?.connect(this);
  }

  private reset(): void {
    this.connection?.dispose();
    this.connection = undefined;
    this.commLive = false;
    this.live?.finalize();
    this.live = undefined;
    this.host.replaceChildren();
  }

  private showState(state: string): void {
    this.status.textContent = state === 'live' ? (this.commLive ? 'live' : 'live (snapshots)') : state;
  }

  private onMessage(msg: ToFrontend): void {
    const live = this.live;
    if (!live) return;
    if (msg.type !== 'unknown') this.statusLine.show(msg.status);
    switch (msg.type) {
      case 'reset':
        if (this.node.dataset.comm === 'opening') this.node.dataset.comm = 'open';
        this.commLive = msg.state === 'live';
        live.setLive(this.commLive);
        live.replaceAll(msg.values);
        live.setSummary(msg.summary);
        this.showState(msg.state);
        break;
      case 'changes':
        live.upsert(msg.upsert, msg.remove);
        live.setSummary(msg.summary);
        break;
      case 'status':
        break;
      case 'end':
        this.commLive = false;
        live.setLive(false);
        live.setSummary(msg.summary);
        // the last changes and the final summary are drawn now, together with the state, not a frame later
        void live.flush();
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
}
