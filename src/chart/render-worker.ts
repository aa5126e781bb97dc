/**
 * The static renderer's thread: one headless Vega view per chart, fed by changesets, rendering SVG
 * and PNG on request, so that a big chart never blocks the kernel (toSVG of 10k marks takes most of
 * a second). Messages are the SnapshotRequest union of snapshots.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { Spec as VegaSpec } from 'vega';
import { StaticRenderer, svgToPng } from './render.js';
import type { SnapshotReply, SnapshotRequest } from './snapshots.js';

const renderers = new Map<string, StaticRenderer>();
const port = parentPort;

async function handle(m: SnapshotRequest): Promise<SnapshotReply | undefined> {
  switch (m.type) {
    case 'open':
      renderers.set(m.chartId, new StaticRenderer(m.vega as VegaSpec));
      return undefined;
    case 'changes': {
      const r = renderers.get(m.chartId);
      for (const key of m.remove) r?.remove(key);
      for (const t of m.upsert) r?.upsert(t);
      return undefined;
    }
    case 'render': {
      const r = renderers.get(m.chartId);
      if (!r) return { id: m.id, error: `no chart ${m.chartId}` };
      const svg = await r.svg(m.summary, m.live);
      return { id: m.id, svg, ...(m.pngScale === undefined ? {} : { png: await svgToPng(svg, m.pngScale) }) };
    }
    case 'close':
      renderers.get(m.chartId)?.finalize();
      renderers.delete(m.chartId);
      return undefined;
  }
}

let chain = Promise.resolve();
port?.on('message', (m: SnapshotRequest) => {
  // In order: a render sees every change sent before it.
  chain = chain.then(async () => {
    try {
      const reply = await handle(m);
      if (reply) port.postMessage(reply);
    } catch (e) {
      if (m.type === 'render') port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies SnapshotReply);
    }
  });
});
