/** A system under test in the live benchmark: started on a topic, it collects final window rows. */
import { source, sql, type QueryRunOptions } from '../../../src/index.js';
import type { Context } from '../context.js';

export interface WindowResult {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly key: string;
  readonly count: number;
  /** Wall clock when the row reached the benchmark. */
  readonly arrivedMs: number;
}

export interface RunningSystem {
  readonly results: WindowResult[];
  /** Why the system died during the run, if it did. */
  failure(): string | undefined;
  /** CPU time the system has used since it started (ms): every thread of its process. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Windowpane in this process (or on `engine: 'flink'`): a live-only source, final rows from the changelog as they come. */
export async function startOurs(ctx: Context, topic: string, windowMs: number, options: QueryRunOptions = {}): Promise<RunningSystem> {
  const events = source({ name: 'events', time: 'ts', live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', key: 'VARCHAR', value: 'DOUBLE' } });
  const q = await sql(`SELECT window_start, window_end, key, count(*) AS n FROM TUMBLE(events, ts, '${windowMs} milliseconds') GROUP BY window_start, window_end, key`, { sources: { events }, kafka: ctx.kafka, emit: 'final', ...options });
  const results: WindowResult[] = [];
  let failed: string | undefined;
  // Windowpane runs in this process: its CPU is the process's (DuckDB's threads included)
  const cpu0 = process.cpuUsage();
  const reading = (async () => {
    for await (const batch of q.changelog()) {
      const arrivedMs = Date.now();
      for (const r of batch.rows) if (r.kind === 'final') results.push({ windowStart: r.windowStart, windowEnd: r.windowEnd, key: String(r.group.key), count: Number(r.values.n), arrivedMs });
    }
  })().catch((e: unknown) => (failed = e instanceof Error ? e.message : String(e)));
  return {
    results,
    failure: () => failed,
    cpuMs: () => {
      const c = process.cpuUsage(cpu0);
      return (c.user + c.system) / 1000;
    },
    async stop() {
      await q.close();
      await reading;
    },
  };
}
