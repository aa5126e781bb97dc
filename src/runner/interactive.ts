/**
 * Interactive charts in exported HTML. nbconvert cannot render the chart MIME types (windowpane's
 * and Vega-Lite's), so each chart output gets a text/html entry for the export only: an element
 * holding the static image, with the Vega spec and rows (or the Vega-Lite spec) beside it. A script
 * (Vega inlined, nothing fetched) replaces the image with the live view; without JavaScript the
 * image stays.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CHART_MIME, isStatusLine, PROVENANCE_METADATA_KEY } from '../chart/protocol.js';
import { statusHtml } from '../chart/status/html.js';
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

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const VEGA_LITE = ['application/vnd.vegalite.v6+json', 'application/vnd.vegalite.v5+json'];

/** What the page needs to draw an output: a windowpane chart (compiled Vega + rows) or a Vega-Lite spec. */
function chartPayload(data: JsonObject): JsonObject | undefined {
  const chart = data[CHART_MIME];
  if (isObject(chart) && isObject(chart.vega)) return { vega: chart.vega, dataName: chart.dataName ?? null, values: chart.values ?? [], summarySignal: chart.summarySignal ?? null, summary: chart.summary ?? '' };
  const spec = VEGA_LITE.map((m) => data[m]).find(isObject);
  return spec ? { vegaLite: spec } : undefined;
}

/** A chart of a query: its status line as it was last, with the provenance one click away. */
function statusOf(data: JsonObject, metadata: JsonObject): string {
  const chart = data[CHART_MIME];
  const status = isObject(chart) ? chart.status : undefined;
  return isStatusLine(status) ? statusHtml(status, metadata[PROVENANCE_METADATA_KEY]) : '';
}

/** A copy of the notebook for export, where every chart output also has its interactive HTML. */
export function withInteractiveCharts(nb: Notebook): { notebook: Notebook; charts: number; vegaLite: boolean } {
  const copy = structuredClone(nb);
  let charts = 0;
  let vegaLite = false;
  for (const cell of copy.cells) {
    if (cell.cell_type !== 'code') continue;
    for (const out of cell.outputs) {
      if (out.output_type !== 'display_data' && out.output_type !== 'execute_result') continue;
      const payload = chartPayload(out.data);
      if (!payload) continue;
      vegaLite ||= payload.vegaLite !== undefined;
      const encoded = Buffer.from(JSON.stringify(payload)).toString('base64');
      out.data = { ...out.data, 'text/html': `<div class="windowpane-chart" ${ATTRIBUTE}="${encoded}">${staticImage(out.data)}</div>${statusOf(out.data, out.metadata)}` };
      charts++;
    }
  }
  return { notebook: copy, charts, vegaLite };
}

const BOOT = `
for (const el of document.querySelectorAll('[${ATTRIBUTE}]')) {
  try {
    const bytes = Uint8Array.from(atob(el.getAttribute('${ATTRIBUTE}')), (c) => c.charCodeAt(0));
    const c = JSON.parse(new TextDecoder().decode(bytes));
    const host = document.createElement('div');
    const spec = c.vegaLite ? vegaLite.compile(c.vegaLite).spec : c.vega;
    const view = new vega.View(vega.parse(spec), { renderer: 'svg', container: host, hover: true });
    if (c.dataName) view.data(c.dataName, c.values || []);
    // the distinct values a discrete scale reads (src/chart/domains.ts)
    const meta = spec.usermeta && spec.usermeta.windowpane;
    for (const d of (meta && meta.distinct) || []) view.data(d.data, [...new Set((c.values || []).map((v) => v[d.field]))].map((value) => ({ value })));
    if (c.summarySignal) view.signal(c.summarySignal, String(c.summary).split('\\n'));
    view.runAsync().then(() => { el.replaceChildren(host); }, (e) => console.warn('windowpane chart', e));
  } catch (e) {
    console.warn('windowpane chart', e);
  }
}`;

const inline = (js: string) => `<script>${js.replace(/<\/script/gi, '<\\/script')}</script>\n`;

/** Adds Vega (and Vega-Lite when a spec needs compiling) and the script that brings the charts to life, before </body>. */
export function addChartScript(html: string, options: { vegaLite?: boolean } = {}): string {
  const require = createRequire(import.meta.url);
  const build = (pkg: string, schema: string, file: string) => readFileSync(join(dirname(require.resolve(`${pkg}/${schema}`)), file), 'utf8');
  const script =
    inline(build('vega', 'vega-schema.json', 'vega.min.js')) +
    (options.vegaLite ? inline(build('vega-lite', 'vega-lite-schema.json', 'vega-lite.min.js')) : '') +
    `<script>${BOOT}</script>\n`;
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + script : html.slice(0, at) + script + html.slice(at);
}
