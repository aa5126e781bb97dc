/**
 * Windowpane for JupyterLab: a renderer for live chart outputs
 * (application/vnd.windowpane.chart+json). Vega-Lite v5 and v6 specs arrive compiled to Vega.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ChartRenderer } from './renderer';
import { CHART_MIME } from '../../../src/chart/protocol';

export const rendererFactory: IRenderMime.IRendererFactory = {
  // Rows are drawn by Vega, never inserted as HTML: safe for untrusted notebooks.
  safe: true,
  mimeTypes: [CHART_MIME],
  defaultRank: 10,
  createRenderer: (options) => new ChartRenderer(options),
};

const extension: IRenderMime.IExtension = {
  id: '@windowpane/jupyterlab:chart',
  description: 'Live Vega-Lite charts for windowpane queries.',
  rendererFactory,
  rank: 10,
  dataType: 'json',
};

export default extension;
