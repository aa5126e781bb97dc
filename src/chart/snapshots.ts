/**
 * Static snapshots (SVG, PNG) of a chart, rendered off the kernel's main thread. One worker thread
 * serves every chart of the process; it holds each chart's headless Vega view and gets the model's
 * changes as batches. Where no worker can start, the same renderer runs in-process.
 */
import { Worker } from 'node:worker_threads';
import type { Spec as VegaSpec } from 'vega';
import { ChartError } from '../errors.js';
import { messages } from '../messages.js';
import type { ChartTuple } from './changelog.js';
import type { ModelListener } from './model.js';
import { PendingChanges } from './pending.js';
import { StaticRenderer, svgToPng } from './render.js';

export type SnapshotRequest =
  | { readonly type: 'open'; readonly chartId: string; readonly vega: unknown }
  | { readonly type: 'changes'; readonly chartId: string; readonly upsert: readonly ChartTuple[]; readonly remove: readonly string[] }
  | { readonly type: 'render'; readonly chartId: string; readonly id: number; readonly summary?: string; readonly pngScale?: number; readonly live?: boolean }
  | { readonly type: 'close'; readonly chartId: string };

export type SnapshotReply = { readonly id: number; readonly svg: string; readonly png?: Uint8Array } | { readonly id: number; readonly error: string };

interface Pending {
  resolve(r: { svg: string; png?: Uint8Array }): void;
  reject(e: Error): void;
}

let shared: { worker: Worker; pending: Map<number, Pending> } | undefined | null;
let nextId = 1;

function startWorker(): typeof shared {
  if (shared !== undefined) return shared;
  try {
    const worker = import.meta.url.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(new URL('./render-worker.ts', import.meta.url).href)}); })`, { eval: true })
      : new Worker(new URL('./render-worker.js', import.meta.url));
    const pending = new Map<number, Pending>();
    worker.unref();
    worker.on('message', (r: SnapshotReply) => {
      const p = pending.get(r.id);
      pending.delete(r.id);
      if (pending.size === 0) worker.unref();
      if (!p) return;
      if ('error' in r) p.reject(new ChartError('chart.render', messages.chartRenderFailed(r.error)));
      else p.resolve(r);
    });
    worker.on('error', (e) => {
      for (const p of pending.values()) p.reject(new ChartError('chart.render', messages.chartRenderFailed(e.message), { cause: e }));
      pending.clear();
      shared = undefined;
    });
    shared = { worker, pending };
  } catch {
    shared = null;
  }
  return shared;
}

// A chart can be drawn again after it ends (svg(), png()), so its view lives until the chart is gone.
const released = new FinalizationRegistry<string>((chartId) => shared?.worker.postMessage({ type: 'close', chartId } satisfies SnapshotRequest));

/** A chart's snapshots: listens to its model and renders on request. */
export class Snapshots implements ModelListener {
  private readonly pending = new PendingChanges();
  private readonly local: StaticRenderer | undefined;
  private readonly thread: NonNullable<typeof shared> | undefined;

  constructor(
    private readonly chartId: string,
    vega: VegaSpec,
    inProcess = false,
  ) {
    this.thread = inProcess ? undefined : (startWorker() ?? undefined);
    if (this.thread) {
      this.thread.worker.postMessage({ type: 'open', chartId, vega } satisfies SnapshotRequest);
      released.register(this, chartId, this);
    } else this.local = new StaticRenderer(vega);
  }

  upsert(tuple: ChartTuple): void {
    if (this.local) this.local.upsert(tuple);
    else this.pending.upsert(tuple);
  }

  remove(key: string): void {
    if (this.local) this.local.remove(key);
    else this.pending.remove(key);
  }

  /** SVG, and PNG at `pngScale` when given, of the current state; `live`: with the live chart's stepped domains. */
  async render(summary: string | undefined, pngScale?: number, live = false): Promise<{ svg: string; png?: Uint8Array }> {
    if (this.local) {
      const svg = await this.local.svg(summary, live);
      return pngScale === undefined ? { svg } : { svg, png: await svgToPng(svg, pngScale) };
    }
    const thread = this.thread as NonNullable<typeof shared>;
    this.flush(thread);
    const id = nextId++;
    const reply = new Promise<{ svg: string; png?: Uint8Array }>((resolve, reject) => thread.pending.set(id, { resolve, reject }));
    thread.worker.ref();
    thread.worker.postMessage({ type: 'render', chartId: this.chartId, id, live, ...(summary === undefined ? {} : { summary }), ...(pngScale === undefined ? {} : { pngScale }) } satisfies SnapshotRequest);
    return reply;
  }

  close(): void {
    if (this.local) this.local.finalize();
    else {
      released.unregister(this);
      this.thread?.worker.postMessage({ type: 'close', chartId: this.chartId } satisfies SnapshotRequest);
    }
  }

  private flush(thread: NonNullable<typeof shared>): void {
    if (this.pending.size === 0) return;
    thread.worker.postMessage({ type: 'changes', chartId: this.chartId, ...this.pending.drain() } satisfies SnapshotRequest);
  }
}
