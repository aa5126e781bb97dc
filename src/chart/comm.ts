/**
 * Live changes to renderers over comms. Each chart registers here while it runs; a renderer opens a
 * comm with { chartId } and gets a reset, then batched upserts and removals at up to 30 a second,
 * then `end`. Charts the kernel no longer runs answer `unknown`: the renderer keeps its snapshot.
 */
import type { HostComm, NotebookHost } from '../notebook/host.js';
import type { ChartTuple } from './changelog.js';
import type { ChartModel, ModelListener } from './model.js';
import { COMM_TARGET, isAttachRequest, type ChartState, type ToFrontend } from './protocol.js';
import { Throttle } from './throttle.js';

/** What a comm needs from a running chart. */
export interface LiveSource {
  readonly model: ChartModel;
  readonly state: ChartState;
  summaryText(): string;
  attached(stream: ChangeStream): void;
}

const running = new Map<string, LiveSource>();
const hosts = new WeakSet<NotebookHost>();

export function registerLive(chartId: string, source: LiveSource, host: NotebookHost): void {
  running.set(chartId, source);
  if (hosts.has(host)) return;
  hosts.add(host);
  host.registerCommTarget(COMM_TARGET, (comm, data) => {
    const chart = isAttachRequest(data) ? running.get(data.chartId) : undefined;
    if (!chart) {
      send(comm, { type: 'unknown', chartId: isAttachRequest(data) ? data.chartId : '' });
      comm.close();
      return;
    }
    chart.attached(new ChangeStream(comm, chart));
  });
}

export function unregisterLive(chartId: string): void {
  running.delete(chartId);
}

function send(comm: HostComm, msg: ToFrontend): void {
  comm.send(msg);
}

/** One renderer's view of a chart: coalesces model changes by key and sends them throttled. */
export class ChangeStream implements ModelListener {
  private readonly pending = new Map<string, ChartTuple | null>();
  private readonly throttle: Throttle;
  private readonly unlisten: () => void;
  private closed = false;

  constructor(
    private readonly comm: HostComm,
    private readonly chart: LiveSource,
    updatesPerSecond = 30,
  ) {
    this.throttle = new Throttle(1000 / updatesPerSecond, async () => this.sendChanges(), () => this.close());
    send(comm, { type: 'reset', state: chart.state, summary: chart.summaryText(), values: chart.model.values() });
    this.unlisten = chart.model.listen(this);
    comm.onClose(() => this.detach());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  upsert(tuple: ChartTuple): void {
    this.pending.set(tuple.key, tuple);
  }

  remove(key: string): void {
    this.pending.set(key, null);
  }

  /** The chart changed (after a whole row or batch): schedule a send. */
  poke(): void {
    if (this.pending.size > 0) this.throttle.poke();
  }

  async end(state: ChartState): Promise<void> {
    if (this.closed) return;
    await this.throttle.stop();
    send(this.comm, { type: 'end', state, summary: this.chart.summaryText() });
    this.close();
  }

  private async sendChanges(): Promise<void> {
    if (this.closed || this.pending.size === 0) return;
    const upsert: ChartTuple[] = [];
    const remove: string[] = [];
    for (const [key, t] of this.pending) {
      if (t) upsert.push(t);
      else remove.push(key);
    }
    this.pending.clear();
    send(this.comm, { type: 'changes', summary: this.chart.summaryText(), upsert, remove });
    return Promise.resolve();
  }

  private detach(): void {
    this.closed = true;
    this.unlisten();
    this.pending.clear();
  }

  private close(): void {
    if (this.closed) return;
    this.detach();
    this.comm.close();
  }
}
