import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { FlinkPorts } from './config.js';
import type { FlinkPaths } from './paths.js';
import { mainClass, type FlinkRole } from './processes.js';

/** One JVM of the running cluster. */
export interface FlinkProcess {
  readonly role: FlinkRole;
  readonly name: string;
  readonly pid: number;
  readonly log: string;
}

/** What `windowpane flink start` records about the cluster it runs (cluster.json in the state folder). */
export interface ClusterState {
  readonly flinkVersion: string;
  readonly startedAt: string;
  readonly ports: FlinkPorts;
  /** The SQL Gateway's REST endpoint, e.g. http://127.0.0.1:8083. */
  readonly gateway: string;
  /** The JobManager's REST API and web UI, e.g. http://127.0.0.1:8081. */
  readonly webUi: string;
  readonly processes: readonly FlinkProcess[];
}

const roles: readonly string[] = Object.keys(mainClass);
const isPort = (p: unknown): p is number => typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536;

function isProcessEntry(p: unknown): p is FlinkProcess {
  if (typeof p !== 'object' || p === null) return false;
  const e = p as Record<string, unknown>;
  return typeof e.role === 'string' && roles.includes(e.role) && typeof e.name === 'string' && typeof e.pid === 'number' && Number.isInteger(e.pid) && e.pid > 0 && typeof e.log === 'string';
}

/** Parses cluster.json; undefined for anything that is not a state this version wrote. */
export function parseClusterState(text: string): ClusterState | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const s = v as Record<string, unknown>;
  const ports = s.ports as Record<string, unknown> | undefined;
  if (typeof ports !== 'object' || ports === null || !isPort(ports.rpc) || !isPort(ports.rest) || !isPort(ports.gateway)) return undefined;
  if (typeof s.gateway !== 'string' || typeof s.webUi !== 'string' || typeof s.flinkVersion !== 'string' || typeof s.startedAt !== 'string') return undefined;
  if (!Array.isArray(s.processes) || !s.processes.every(isProcessEntry)) return undefined;
  return v as ClusterState;
}

/** Whether pid is alive and is the Flink JVM of that role (a recycled pid belongs to some other program). */
export function isFlinkProcess(pid: number, role: FlinkRole): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(mainClass[role]);
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

export function readClusterState(paths: FlinkPaths): ClusterState | undefined {
  try {
    return parseClusterState(readFileSync(paths.state, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The processes of a recorded cluster that still run. */
export function liveProcesses(state: ClusterState | undefined): FlinkProcess[] {
  return (state?.processes ?? []).filter((p) => isFlinkProcess(p.pid, p.role));
}

export function writeClusterState(state: ClusterState, paths: FlinkPaths): void {
  const tmp = `${paths.state}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, paths.state);
}

export function clearClusterState(paths: FlinkPaths): void {
  rmSync(paths.state, { force: true });
}
