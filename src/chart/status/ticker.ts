/**
 * Keeps a status line current while its query runs: samples it at the output's update rate and calls
 * `onChange` when its text changed (a live output then sends it, with or without new rows).
 */
import type { StatusLine } from '../protocol.js';
import { statusText } from './line.js';
import { StatusSampler, type ProgressSource } from './sampler.js';

export class StatusTicker {
  private readonly sampler: StatusSampler;
  private timer: NodeJS.Timeout | undefined;
  private lastText = '';
  /** The last line sampled. */
  current: StatusLine;

  constructor(
    source: ProgressSource,
    private readonly intervalMs: number,
    private readonly onChange: () => void,
  ) {
    this.sampler = new StatusSampler(source);
    this.current = this.line();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Samples now. */
  line(): StatusLine {
    this.current = this.sampler.sample();
    return this.current;
  }

  private tick(): void {
    const text = statusText(this.line());
    if (text === this.lastText) return;
    this.lastText = text;
    this.onChange();
  }
}
