/**
 * The status line as HTML, for outputs that are HTML (a query shown alone, a live table, the HTML
 * export): its items, and the query's provenance one click away in a <details> element.
 */
import type { StatusLine } from '../protocol.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = 'font-size:0.85em;color:#555;line-height:1.6';

export function statusHtml(line: StatusLine, provenance?: unknown): string {
  const items = line.items.map((i) => `<span data-item="${i.name}">${escapeHtml(i.text)}</span>`).join(' · ');
  const details = provenance === undefined
    ? ''
    : ` · <details class="windowpane-provenance" style="display:inline-block;vertical-align:top"><summary>provenance</summary><pre style="font-size:0.9em;max-height:24em;overflow:auto">${escapeHtml(JSON.stringify(provenance, null, 1))}</pre></details>`;
  const lag = line.lag === undefined ? '' : ` data-lag="${line.lag}"`;
  return `<div class="windowpane-status" data-phase="${line.phase}"${lag} style="${STYLE}">${items}${details}</div>`;
}
