/**
 * Static snapshots in the kernel: a headless Vega view (renderer 'none') mirrors the chart's model
 * through changesets, renders SVG on demand, and resvg turns the SVG into PNG with a local font.
 */
import { renderAsync } from '@resvg/resvg-js';
import { View, parse, type Spec as VegaSpec } from 'vega';
import { ChartError } from '../errors.js';
import { messages } from '../messages.js';
import type { ChartTuple } from './changelog.js';
import { ViewFeed } from './feed.js';
import { chartFonts } from './fonts.js';
import type { ModelListener } from './model.js';
import { DATA_NAME } from './spec.js';
import { SUMMARY_SIGNAL, summaryLines } from './styling.js';

export class StaticRenderer implements ModelListener {
  private readonly view: View;
  private readonly feed: ViewFeed;
  private readonly hasSummary: boolean;

  constructor(vega: VegaSpec) {
    this.view = new View(parse(vega), { renderer: 'none' });
    this.feed = new ViewFeed(this.view, DATA_NAME, vega);
    this.hasSummary = (vega.signals ?? []).some((s) => s.name === SUMMARY_SIGNAL);
  }

  upsert(tuple: ChartTuple): void {
    this.feed.upsert(tuple);
  }

  remove(key: string): void {
    this.feed.remove(key);
  }

  /** Applies the changes since the last call as one changeset and renders SVG; `live`: domains step (domains.ts). */
  async svg(summary?: string, live = false): Promise<string> {
    try {
      this.feed.setLive(live);
      this.feed.flush();
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
