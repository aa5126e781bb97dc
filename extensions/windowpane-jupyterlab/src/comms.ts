/**
 * Comms the kernel opens for charts (target "windowpane.chart", data { chartId }). They can arrive
 * before the chart's renderer is ready, so they wait here, with the messages received meanwhile,
 * until the renderer for that chart claims them.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { COMM_TARGET, readToFrontend, type ToFrontend } from '../../../src/chart/protocol';

export interface KernelChartComm {
  readonly comm: Kernel.IComm;
  /** Replays what arrived before the claim, then delivers each new message. */
  listen(handler: (msg: ToFrontend) => void, onClose: () => void): void;
}

const registered = new WeakSet<Kernel.IKernelConnection>();
const unclaimed = new Map<string, KernelChartComm>();
const waiting = new Map<string, (c: KernelChartComm) => void>();

function chartIdOf(data: unknown): string | undefined {
  const id = (data as { chartId?: unknown } | null)?.chartId;
  return typeof id === 'string' ? id : undefined;
}

function wrap(comm: Kernel.IComm, chartId: string): KernelChartComm {
  let buffered: ToFrontend[] = [];
  let deliver: ((msg: ToFrontend) => void) | undefined;
  let closed = false;
  let closeHandler: (() => void) | undefined;
  comm.onMsg = (msg: KernelMessage.ICommMsgMsg) => {
    const data = readToFrontend(msg.content.data, msg.buffers);
    if (!data) return;
    if (deliver) deliver(data);
    else buffered.push(data);
  };
  comm.onClose = () => {
    closed = true;
    unclaimed.delete(chartId);
    closeHandler?.();
  };
  return {
    comm,
    listen(handler, onClose) {
      for (const m of buffered) handler(m);
      buffered = [];
      deliver = handler;
      closeHandler = onClose;
      if (closed) onClose();
    },
  };
}

/** Registers the chart comm target on a kernel connection, once. */
export function registerTarget(kernel: Kernel.IKernelConnection): void {
  if (registered.has(kernel)) return;
  registered.add(kernel);
  kernel.registerCommTarget(COMM_TARGET, (comm, msg) => {
    const chartId = chartIdOf(msg.content.data);
    if (!chartId) return;
    const c = wrap(comm, chartId);
    const claim = waiting.get(chartId);
    if (claim) {
      waiting.delete(chartId);
      claim(c);
    } else unclaimed.set(chartId, c);
  });
}

/** Takes the kernel's comm for `chartId` now, or when it arrives; returns a cancel. */
export function claimComm(chartId: string, onComm: (c: KernelChartComm) => void): () => void {
  const ready = unclaimed.get(chartId);
  if (ready) {
    unclaimed.delete(chartId);
    onComm(ready);
    return () => undefined;
  }
  waiting.set(chartId, onComm);
  return () => {
    if (waiting.get(chartId) === onComm) waiting.delete(chartId);
  };
}
