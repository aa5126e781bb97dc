/**
 * Live changes to renderers over comms, at up to 30 batches a second: a reset, then upserts and
 * removals by key, then `end`. The kernel opens one comm per chart when it shows it (on IOPub, so it
 * works while the cell is still running: the shell channel is busy then). A renderer that missed it
 * (a reloaded page) opens its own with { chartId } once the shell is free; charts the kernel no
 * longer runs answer `unknown` and the renderer keeps its snapshot.
 */
import type { HostComm, NotebookHost } from '../notebook/host.js';
import type { ChartTuple } from './changelog.js';
import type { ModelListener, RowSource } from './model.js';
import { COMM_TARGET, isAttachRequest, toWire, type ChartState, type StatusLine, type ToFrontend } from './protocol.js';
import { PendingChanges } from './pending.js';
import { Throttle } from './throttle.js';

/** What a comm needs from a running chart. */
export interface LiveSource {
  /** The rows drawn: the model, or its level of detail. */
  readonly drawn: RowSource;
  readonly state: ChartState;
  readonly liveUpdatesPerSecond: number;
  summaryText(): string;
  /** The status line of the query behind the chart, sampled now (undefined for other sources). */
  statusLine(): StatusLine | undefined;
  attached(stream: ChangeStream, byFrontend: boolean): void;
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
    chart.attached(new ChangeStream(comm, chart), true);
  });
}

/**
 * Opens the kernel's comm for a chart; undefined when the host cannot open comms, or runs headless
 * (no renderer is there to listen: the outputs' snapshots are what a headless run keeps).
 */
export function openLive(chartId: string, source: LiveSource, host: NotebookHost): ChangeStream | undefined {
  if (host.headless) return undefined;
  try {
    return new ChangeStream(host.openComm(COMM_TARGET, { chartId }), source);
  } catch {
    return undefined;
  }
}

export function unregisterLive(chartId: string): void {
  running.delete(chartId);
}

/** Sends a message; large row sets go as Arrow in a binary buffer (protocol.ts). */
function send(comm: HostComm, msg: ToFrontend<ChartTuple>): void {
  const { data, buffers } = toWire(msg);
  comm.send(data, buffers);
}

const withStatus = (status: StatusLine | undefined): { status?: StatusLine } => (status ? { status } : {});

/** One renderer's view of a chart: coalesces model changes by key and sends them throttled. */
export class ChangeStream implements ModelListener {
  private readonly pending = new PendingChanges();
  private readonly throttle: Throttle;
  private readonly unlisten: () => void;
  private closed = false;
  private statusDirty = false;

  constructor(
    private readonly comm: HostComm,
    private readonly chart: LiveSource,
  ) {
    this.throttle = new Throttle(1000 / chart.liveUpdatesPerSecond, async () => this.sendChanges(), () => this.close());
    send(comm, { type: 'reset', state: chart.state, summary: chart.summaryText(), ...withStatus(chart.statusLine()), values: chart.drawn.values() });
    this.unlisten = chart.drawn.listen(this);
    comm.onClose(() => this.detach());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  upsert(tuple: ChartTuple): void {
    this.pending.upsert(tuple);
  }

  remove(key: string): void {
    this.pending.remove(key);
  }

  /** The chart changed (after a whole row or batch): schedule a send. */
  poke(): void {
    if (this.pending.size > 0) this.throttle.poke();
  }

  /** The status line changed: send it with the next changes, or alone. */
  pokeStatus(): void {
    this.statusDirty = true;
    this.throttle.poke();
  }

  async end(state: ChartState): Promise<void> {
    if (this.closed) return;
    await this.throttle.stop();
    send(this.comm, { type: 'end', state, summary: this.chart.summaryText(), ...withStatus(this.chart.statusLine()) });
    this.close();
  }

  private async sendChanges(): Promise<void> {
    if (this.closed) return;
    const status = this.chart.statusLine();
    if (this.pending.size > 0) send(this.comm, { type: 'changes', summary: this.chart.summaryText(), ...withStatus(status), ...this.pending.drain() });
    else if (this.statusDirty && status) send(this.comm, { type: 'status', status });
    this.statusDirty = false;
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
