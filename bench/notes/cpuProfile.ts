/**
 * Runs `fn` under the V8 sampling profiler of this process (500 µs), writes the profile to
 * `file` (read it with bench/notes/profileTop.ts) and returns fn's result with the process's CPU time.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function cpuProfile<T>(file: string, fn: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const cpu0 = process.cpuUsage();
    const result = await fn();
    const cpu = process.cpuUsage(cpu0);
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    return { result, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    session.disconnect();
  }
}
