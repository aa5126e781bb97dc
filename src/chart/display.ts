/**
 * A live output that works in any Jupyter frontend: display_data once with a display_id, then
 * update_display_data with the whole current bundle, a few times a second at most.
 */
import type { MimeBundle, NotebookHost } from '../notebook/host.js';
import { Throttle } from './throttle.js';

export class LiveDisplay {
  private readonly throttle: Throttle;
  private shown = false;
  /** Bundles sent (display_data plus update_display_data), for tests and the benchmark. */
  sent = 0;

  constructor(
    private readonly host: NotebookHost,
    readonly displayId: string,
    private readonly render: () => Promise<MimeBundle>,
    updatesPerSecond: number,
    onError: (e: unknown) => void,
    /** Output metadata sent with every bundle (a query's provenance). */
    private readonly metadata: () => Record<string, unknown> | undefined = () => undefined,
  ) {
    this.throttle = new Throttle(1000 / updatesPerSecond, () => this.send(), onError);
  }

  /** The update rate; lowered while a live renderer receives the changes over a comm. */
  set updatesPerSecond(n: number) {
    this.throttle.intervalMs = 1000 / n;
  }

  async show(): Promise<void> {
    await this.send();
  }

  poke(): void {
    this.throttle.poke();
  }

  /** Sends the final bundle, replacing the last one, and stops updating. */
  async finish(): Promise<void> {
    await this.throttle.cancel();
    await this.send();
  }

  private async send(): Promise<void> {
    const bundle = await this.render();
    const metadata = this.metadata();
    this.host.display(bundle, { displayId: this.displayId, update: this.shown, ...(metadata ? { metadata } : {}) });
    this.shown = true;
    this.sent++;
  }
}
