/**
 * Static snapshots in the kernel: a headless Vega view (renderer 'none') mirrors the chart's model
 * through changesets, renders SVG on demand, and resvg turns the SVG into PNG with a local font.
 */
import { renderAsync } from '@resvg/resvg-js';
import { View, changeset, parse, type Spec as VegaSpec } from 'vega';
import { ChartError } from '../errors.js';
import { messages } from '../messages.js';
import type { ChartTuple } from './changelog.js';
import { chartFonts } from './fonts.js';
import type { ModelListener } from './model.js';
import { DATA_NAME } from './spec.js';
import { SUMMARY_SIGNAL, summaryLines } from './styling.js';

export class StaticRenderer implements ModelListener {
  private readonly view: View;
  /** The objects the view holds, by key: Vega transforms may rewrite fields in place, so it gets copies. */
  private readonly held = new Map<string, object>();
  private readonly pending = new Map<string, ChartTuple | null>();
  private readonly hasSummary: boolean;

  constructor(vega: VegaSpec) {
    this.view = new View(parse(vega), { renderer: 'none' });
    this.hasSummary = (vega.signals ?? []).some((s) => s.name === SUMMARY_SIGNAL);
  }

  upsert(tuple: ChartTuple): void {
    this.pending.set(tuple.key, tuple);
  }

  remove(key: string): void {
    this.pending.set(key, null);
  }

  /** Applies the changes since the last call as one changeset and renders SVG. */
  async svg(summary?: string): Promise<string> {
    try {
      this.flush();
      if (summary !== undefined && this.hasSummary) this.view.signal(SUMMARY_SIGNAL, summaryLines(summary));
      await this.view.runAsync();
      return await this.view.toSVG();
    } catch (e) {
      throw new ChartError('chart.render', messages.chartRenderFailed(e instanceof Error ? e.message : String(e)), { cause: e });
    }
  }

  finalize(): void {
    this.view.finalize();
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const remove: object[] = [];
    const insert: object[] = [];
    for (const [key, tuple] of this.pending) {
      const old = this.held.get(key);
      if (old) remove.push(old);
      if (tuple) {
        const copy = { ...tuple };
        this.held.set(key, copy);
        insert.push(copy);
      } else this.held.delete(key);
    }
    this.pending.clear();
    this.view.change(DATA_NAME, changeset().remove(remove).insert(insert));
  }
}

/** PNG bytes of an SVG, drawn off the event loop. */
export async function svgToPng(svg: string, scale = 1): Promise<Uint8Array> {
  try {
    const image = await renderAsync(svg, { font: chartFonts(), fitTo: { mode: 'zoom', value: scale }, logLevel: 'off' });
    return image.asPng();
  } catch (e) {
    throw new ChartError('chart.render.png', messages.chartRenderFailed(e instanceof Error ? e.message : String(e)), { cause: e });
  }
}
