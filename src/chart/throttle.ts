/**
 * Runs a task at most once per interval however often it is poked, never two at once, and backs
 * off when the task itself is slow (the next run waits at least twice the last run's duration).
 */
export class Throttle {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private dirty = false;
  private last = 0;
  private lastDuration = 0;
  private stopped = false;

  constructor(
    public intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (e: unknown) => void,
  ) {}

  poke(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (this.timer || this.running) return;
    const wait = Math.max(this.intervalMs, 2 * this.lastDuration) - (Date.now() - this.last);
    this.timer = setTimeout(() => this.fire(), Math.max(0, wait));
  }

  /** Runs the task now (after any run in progress) if anything is pending, and stops the timer. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) await this.running;
    if (this.dirty) await this.run();
  }

  /** Flushes, then ignores further pokes. */
  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
  }

  /** Drops anything pending (after a run in progress) and ignores further pokes. */
  async cancel(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) await this.running;
    this.dirty = false;
  }

  private fire(): void {
    this.timer = undefined;
    void this.run().then(() => {
      if (this.dirty) this.poke();
    });
  }

  private async run(): Promise<void> {
    this.dirty = false;
    const started = Date.now();
    this.running = this.task().catch(this.onError);
    await this.running;
    this.running = undefined;
    this.last = Date.now();
    this.lastDuration = this.last - started;
  }
}
