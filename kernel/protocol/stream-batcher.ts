import type { Header } from './wire.js';

/**
 * Joins consecutive stream messages (same cell, same stream) into one, as ipykernel does: a cell
 * printing 10,000 lines sends a few messages instead of 10,000. Runs on the I/O thread, whose
 * timer fires even while a cell blocks the main thread, so output of a busy loop still flows.
 * Anything else sent flushes the batch first, so the order of output never changes.
 */
export class StreamBatcher {
  private pending: { parent: Header | null; name: string; text: string } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (parent: Header | null, name: string, text: string) => void,
    private readonly delayMs = 10,
    private readonly maxChars = 65_536,
  ) {}

  add(parent: Header | null, name: string, text: string): void {
    const p = this.pending;
    if (p && p.name === name && p.parent?.msg_id === parent?.msg_id) p.text += text;
    else {
      this.flush();
      this.pending = { parent, name, text };
      this.timer = setTimeout(() => this.flush(), this.delayMs);
    }
    if (this.pending!.text.length >= this.maxChars) this.flush();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (p) this.emit(p.parent, p.name, p.text);
  }
}
