/**
 * The CPU profiler of this process through node:inspector (500 µs sampling): `run(name, fn)`
 * profiles one call into <outDir>/<name>.cpuprofile and says how long it took, in wall-clock ms and
 * CPU seconds of the process (every thread, DuckDB's included). Summarize with profileTop.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export interface Profiled<T> {
  readonly value: T;
  readonly ms: number;
  readonly cpuS: number;
}

export async function openProfiler(outDir: string): Promise<{ run<T>(name: string, fn: () => Promise<T>): Promise<Profiled<T>>; close(): void }> {
  mkdirSync(outDir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  return {
    async run(name, fn) {
      await session.post('Profiler.start');
      const cpu0 = process.cpuUsage();
      const t = performance.now();
      const value = await fn();
      const ms = performance.now() - t;
      const cpu = process.cpuUsage(cpu0);
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(outDir, `${name}.cpuprofile`), JSON.stringify(profile));
      return { value, ms, cpuS: (cpu.user + cpu.system) / 1e6 };
    },
    close: () => session.disconnect(),
  };
}
