/**
 * When a pipeline's records start to flow: after every consumer being attached (a sink checking its
 * target) is ready, plus one turn of the event loop. So consumers attached one after another right
 * after the pipeline started — awaiting only sinks in between — all see the first record.
 */
export class ConsumerGate {
  private holds = 0;
  private opened: (() => void) | undefined;

  /** A consumer is being attached; call the returned function once it is ready (or failed). */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) this.opened?.();
    };
  }

  /** Resolves on a turn of the event loop at which no consumer is being attached. */
  async ready(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.holds === 0) return;
      await new Promise<void>((resolve) => (this.opened = resolve));
    }
  }
}
