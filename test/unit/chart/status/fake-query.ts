/** A query stand-in for status tests: its progress is set by the test, its changelog fed by it. */
import type { QueryProgress } from '../../../../src/engine/query/progress.js';
import type { ChangelogBatch } from '../../../../src/engine/changelog/types.js';

export const T0 = Date.UTC(2024, 0, 1);

export function progress(p: Partial<QueryProgress> = {}): QueryProgress {
  return { phase: 'live', at: T0, startedAt: T0, events: 0, late: 0, deadLetters: 0, watermark: null, ...p };
}

export class FakeQuery {
  current = progress({ phase: 'starting' });
  private readonly batches: (ChangelogBatch | null)[] = [];
  private wake: (() => void) | undefined;
  private resolveDone!: () => void;
  readonly done = new Promise<void>((r) => (this.resolveDone = r));

  progress(): QueryProgress {
    return this.current;
  }

  provenance(): unknown {
    return { source: 'ev', kafka: { topic: 't', offsets: { 0: [0, this.current.topic?.position ?? 0] } } };
  }

  /** Ends the changelog (the query's run is over). */
  end(): void {
    this.current = { ...this.current, phase: 'done' };
    this.push(null);
    this.resolveDone();
  }

  push(batch: ChangelogBatch | null): void {
    this.batches.push(batch);
    this.wake?.();
  }

  async *changelog(): AsyncGenerator<ChangelogBatch> {
    for (;;) {
      const next = this.batches.shift();
      if (next === null) return;
      if (next) yield next;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
}

/** Resolves once `check` holds, looking again after each turn of the event loop's timers. */
export async function until(check: () => boolean, what: string, turns = 2000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}
