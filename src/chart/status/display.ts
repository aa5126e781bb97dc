/**
 * A query shown alone in a cell: its live status line, updated in place (update_display_data by
 * display_id) at the charts' rate until the query ends or the cell is interrupted; then static.
 */
import { randomUUID } from 'node:crypto';
import { presentQueriesWith, type Presentable } from '../../engine/query/present.js';
import { notebookHost, type MimeBundle, type NotebookHost } from '../../notebook/host.js';
import { LiveDisplay } from '../display.js';
import { provenanceMetadata, PROVENANCE_METADATA_KEY } from '../provenance.js';
import { statusHtml } from './html.js';
import { statusText } from './line.js';
import { StatusSampler } from './sampler.js';
import { StatusTicker } from './ticker.js';

/** update_display_data per second at most, as charts and tables (their default). */
const UPDATES_PER_SECOND = 4;

export class LiveStatus {
  readonly id = randomUUID();
  private readonly display: LiveDisplay;
  private readonly ticker: StatusTicker;
  private finished: Promise<void> | undefined;

  constructor(
    private readonly query: Presentable,
    host: NotebookHost,
    updatesPerSecond = UPDATES_PER_SECOND,
  ) {
    const metadata = () => provenanceMetadata(query);
    this.display = new LiveDisplay(host, `windowpane-status-${this.id}`, () => Promise.resolve(this.bundle()), updatesPerSecond, () => this.ticker.stop(), metadata);
    this.ticker = new StatusTicker(query, 1000 / updatesPerSecond, () => this.display.poke());
    host.signal?.addEventListener('abort', () => void this.finish(), { once: true });
  }

  /** Shows the line, keeps it current, and shows the final one when the query ends. */
  async start(): Promise<void> {
    await this.display.show();
    this.ticker.start();
    await this.query.done.catch(() => undefined);
    await this.finish();
  }

  bundle(): MimeBundle {
    const line = this.ticker.line();
    const provenance = provenanceMetadata(this.query)?.[PROVENANCE_METADATA_KEY];
    return { 'text/html': statusHtml(line, provenance), 'text/plain': statusText(line) };
  }

  private finish(): Promise<void> {
    this.ticker.stop();
    this.finished ??= this.display.finish();
    return this.finished;
  }
}

/** A query as a cell's value: in a notebook its live status line, elsewhere the line as text. */
export function presentStatus(query: Presentable): MimeBundle {
  const host = notebookHost();
  if (!host) return { 'text/plain': statusText(new StatusSampler(query).sample()) };
  void new LiveStatus(query, host).start().catch(() => undefined);
  return { 'text/plain': '' };
}

presentQueriesWith(presentStatus);
