/**
 * The status line under a chart of a query: its items as text, the phase and the lag as data
 * attributes (data-phase, data-lag), and the query's provenance one click away (a <details> that
 * shows the output's provenance metadata when opened). Built with textContent only.
 */
import type { StatusLine } from '../../../src/chart/protocol';

export class StatusView {
  readonly node = document.createElement('div');
  private readonly items = document.createElement('span');
  private readonly details = document.createElement('details');
  private readonly json = document.createElement('pre');
  private provenance: unknown;

  constructor() {
    this.node.className = 'jp-WindowpaneChart-status';
    this.node.hidden = true;
    const summary = document.createElement('summary');
    summary.textContent = 'provenance';
    this.details.className = 'jp-WindowpaneChart-provenance';
    this.details.hidden = true;
    this.details.append(summary, this.json);
    this.details.addEventListener('toggle', () => this.fill());
    this.node.append(this.items, this.details);
  }

  show(line: StatusLine | undefined): void {
    if (!line) return;
    this.node.hidden = false;
    this.node.dataset.phase = line.phase;
    if (line.lag === undefined) delete this.node.dataset.lag;
    else this.node.dataset.lag = String(line.lag);
    const spans = line.items.map((item, i) => {
      const span = document.createElement('span');
      span.dataset.item = item.name;
      span.textContent = i === 0 ? item.text : ` · ${item.text}`;
      return span;
    });
    this.items.replaceChildren(...spans);
  }

  /** The provenance the output's metadata holds (updated with every snapshot of the output). */
  setProvenance(provenance: unknown): void {
    this.provenance = provenance;
    this.details.hidden = provenance === undefined;
    this.fill();
  }

  private fill(): void {
    if (this.details.open) this.json.textContent = JSON.stringify(this.provenance, null, 1);
  }
}
