/**
 * Flink for tests: the real `windowpane flink` command in a private state folder (the distribution
 * cache is shared), and what a test asks of the running JVMs: their listening sockets (from /proc)
 * and the state of a job (from the JobManager's REST API).
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testKafkaSettings } from './kafka.js';
import { flinkPaths } from '../../src/local-flink/paths.js';
import { readClusterState } from '../../src/local-flink/state.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', '..', 'bin', 'windowpane.js');

/**
 * Runs `windowpane flink <args> --json` with the given state folder (and no configured gateway,
 * unless `gateway` names one); the parsed last line.
 */
export async function flinkCli(stateDir: string | { stateDir: string; gateway: string }, ...args: string[]): Promise<Record<string, unknown>> {
  const dir = typeof stateDir === 'string' ? stateDir : stateDir.stateDir;
  const env: NodeJS.ProcessEnv = { ...process.env, WINDOWPANE_STATE_DIR: dir };
  if (typeof stateDir === 'string') delete env.WINDOWPANE_FLINK_GATEWAY;
  else env.WINDOWPANE_FLINK_GATEWAY = stateDir.gateway;
  const { stdout } = await run(process.execPath, [cli, 'flink', ...args, '--json'], { env, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

/** "0100007F:1F90" (IPv4) or a 32-digit IPv6 address with port: the address and the port. */
function decodeAddress(hex: string): { address: string; port: number } {
  const [addr = '', port = '0'] = hex.split(':');
  const v4 = (h: string) => [6, 4, 2, 0].map((i) => parseInt(h.slice(i, i + 2), 16)).join('.');
  let address: string;
  if (addr.length === 8) address = v4(addr);
  else if (addr.startsWith('0000000000000000FFFF0000')) address = `::ffff:${v4(addr.slice(24))}`;
  else address = addr === '0'.repeat(32) ? '::' : `ipv6:${addr}`;
  return { address, port: parseInt(port, 16) };
}

/** The TCP sockets a process listens on, read from /proc (Linux). */
export function listeningSockets(pid: number): { address: string; port: number }[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // the fd closed meanwhile
    }
  }
  const found: { address: string; port: number }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && cols[9] !== undefined && inodes.has(cols[9])) found.push(decodeAddress(cols[1]!));
    }
  }
  return found;
}

/** A job's state from the JobManager (RUNNING, CANCELED, FINISHED, ...), or undefined if unknown. */
export async function jobState(webUi: string, jobId: string): Promise<string | undefined> {
  const r = await fetch(`${webUi}/v1/jobs/${jobId}`, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) return undefined;
  return ((await r.json()) as { state?: string }).state;
}

/**
 * Options of engine 'flink' for tests: the cluster the test setup started (WINDOWPANE_TEST_FLINK_GATEWAY),
 * else the configured or running local one, and the test broker as the cluster reaches it.
 */
export function testFlinkOptions(extra: Record<string, unknown> = {}): { gateway?: string; brokers: string } {
  const gateway = process.env.WINDOWPANE_TEST_FLINK_GATEWAY;
  return { ...(gateway ? { gateway } : {}), brokers: testKafkaSettings().brokers.join(','), ...extra };
}

/** Jobs the JobManager behind the gateway knows, by state (for checks that nothing was submitted). */
export async function jobCount(webUi: string): Promise<number> {
  const r = await fetch(`${webUi}/v1/jobs/overview`, { signal: AbortSignal.timeout(5000) });
  return ((await r.json()) as { jobs: unknown[] }).jobs.length;
}

/** The web UI (JobManager REST API) of the test cluster. */
export function testFlinkWebUi(): string {
  const ui = process.env.WINDOWPANE_TEST_FLINK_WEB_UI ?? readClusterState(flinkPaths())?.webUi;
  if (!ui) throw new Error('no Flink cluster for the tests: run `windowpane flink start`, or the tests through scripts/test.mjs');
  return ui;
}
