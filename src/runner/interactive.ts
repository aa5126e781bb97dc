/**
 * Interactive charts in exported HTML. nbconvert cannot render the chart MIME type, so each chart
 * output gets a text/html entry for the export only: an element holding the static image, with the
 * compiled Vega spec and rows beside it. A script (Vega inlined, nothing fetched) replaces the image
 * with the live view; without JavaScript the image stays.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CHART_MIME } from '../chart/protocol.js';
import type { JsonObject, Notebook } from './notebook.js';

const ATTRIBUTE = 'data-windowpane-chart';

function staticImage(data: JsonObject): string {
  const svg = data['image/svg+xml'];
  if (typeof svg === 'string') return `<img alt="chart" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`;
  const png = data['image/png'];
  if (typeof png === 'string') return `<img alt="chart" src="data:image/png;base64,${png.replace(/\s/g, '')}">`;
  const text = data['text/plain'];
  return `<pre>${String(typeof text === 'string' ? text : 'chart').replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</pre>`;
}

/** A copy of the notebook for export, where every chart output also has its interactive HTML. */
export function withInteractiveCharts(nb: Notebook): { notebook: Notebook; charts: number } {
  const copy = structuredClone(nb);
  let charts = 0;
  for (const cell of copy.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const out of cell.outputs) {
      if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
      const chart = out.data[CHART_MIME];
      if (typeof chart !== 'object' || chart === null || Array.isArray(chart) || typeof chart.vega !== 'object') continue;
      const payload = { vega: chart.vega, dataName: chart.dataName, values: chart.values, summarySignal: chart.summarySignal ?? null, summary: chart.summary ?? '' };
      const encoded = Buffer.from(JSON.stringify(payload)).toString('base64');
      out.data = { ...out.data, 'text/html': `<div class="windowpane-chart" ${ATTRIBUTE}="${encoded}">${staticImage(out.data)}</div>` };
      charts++;
    }
  }
  return { notebook: copy, charts };
}

const BOOT = `
for (const el of document.querySelectorAll('[${ATTRIBUTE}]')) {
  try {
    const bytes = Uint8Array.from(atob(el.getAttribute('${ATTRIBUTE}')), (c) => c.charCodeAt(0));
    const c = JSON.parse(new TextDecoder().decode(bytes));
    const host = document.createElement('div');
    const view = new vega.View(vega.parse(c.vega), { renderer: 'svg', container: host, hover: true });
    if (c.dataName) view.data(c.dataName, c.values || []);
    if (c.summarySignal) view.signal(c.summarySignal, String(c.summary).split('\\n'));
    view.runAsync().then(() => { el.replaceChildren(host); }, (e) => console.warn('windowpane chart', e));
  } catch (e) {
    console.warn('windowpane chart', e);
  }
}`;

/** Adds Vega and the script that brings the charts to life, before </body>. */
export function addChartScript(html: string): string {
  const require = createRequire(import.meta.url);
  const vega = readFileSync(join(dirname(require.resolve('vega/vega-schema.json')), 'vega.min.js'), 'utf8');
  const script = `<script>${vega.replace(/<\/script/gi, '<\\/script')}</script>\n<script>${BOOT}</script>\n`;
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + script : html.slice(0, at) + script + html.slice(at);
}
