/**
 * The Java peers (bench/peers/*): built once per run with Maven (compile + the dependency
 * classpath, from Maven Central), started as a JVM each, their results read from an output topic.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../src/util/paths.js';
import type { Context } from '../context.js';
import type { RunningSystem, WindowResult } from './systems.js';

export type PeerKind = 'kstreams' | 'flink';

const MAIN: Record<PeerKind, string> = { kstreams: 'dev.windowpane.bench.WindowedCount', flink: 'dev.windowpane.bench.FlinkWindowedCount' };

/** Builds a peer; returns its classpath, or throws with Maven's last lines. */
export function buildPeer(kind: PeerKind): string {
  const dir = join(packageRoot, 'bench', 'peers', kind);
  const r = spawnSync('mvn', ['-B', '-q', 'compile', 'dependency:build-classpath', '-Dmdep.outputFile=target/classpath.txt'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`mvn failed: ${`${r.stdout}\n${r.stderr}`.trim().split('\n').filter((l) => l.includes('ERROR')).slice(0, 3).join(' ')}`);
  return `${join(dir, 'target', 'classes')}:${readFileSync(join(dir, 'target', 'classpath.txt'), 'utf8').trim()}`;
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time (user + system, every thread) of a running process, from /proc (ms); NaN once it is gone. */
function processCpuMs(pid: number | undefined): number {
  try {
    // the fields after the command name, which is in parentheses and may hold spaces
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').filter((l) => /exception|error|caused by/i.test(l)).slice(0, n).join(' / ') || text.trim().split('\n').slice(-n).join(' / ');
}

/** Starts the peer and resolves once it says RUNNING; results are read from `output`. */
export async function startPeer(ctx: Context, kind: PeerKind, classpath: string, input: string, output: string, windowMs: number): Promise<RunningSystem> {
  const id = `bench-${kind}-${randomBytes(4).toString('hex')}`;
  const args = kind === 'kstreams' ? [ctx.brokers, input, output, String(windowMs), id, join(ctx.dir, id)] : [ctx.brokers, input, output, String(windowMs), id];
  const proc: ChildProcess = spawn('java', ['-Xmx1g', '-cp', classpath, MAIN[kind], ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within 90 s: ${lastLines(log)}`)), 90_000);
    proc.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('RUNNING')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited with ${code}: ${lastLines(log)}`));
    });
  });
  let exited: string | undefined;
  proc.once('exit', (code) => (exited = `${kind} exited with ${code} during the run: ${lastLines(log)}`));

  const results: WindowResult[] = [];
  const consumer = ctx.kafka.consumer({ groupId: `${id}-reader` });
  await consumer.connect();
  await consumer.subscribe({ topic: output, fromBeginning: true });
  // the producer starts only once this reader is in its group (the broker delays a first join)
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const arrivedMs = Date.now();
      const [start, end, count, key] = (message.value?.toString() ?? '').split(',');
      results.push({ windowStart: Number(start), windowEnd: Number(end), count: Number(count), key: key ?? message.key?.toString() ?? '', arrivedMs });
      await Promise.resolve();
    },
  });
  await joined;
  return {
    results,
    failure: () => exited,
    cpuMs: () => processCpuMs(proc.pid),
    async stop() {
      await consumer.disconnect();
      if (proc.exitCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(t);
      }
    },
  };
}
