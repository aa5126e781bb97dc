import { FlinkGateway } from '../flink/gateway.js';
import { processRss } from '../local-kafka/state.js';
import { CLUSTER_START_KEY } from './config.js';
import { flinkPaths, type FlinkPaths } from './paths.js';
import { isFlinkProcess, readClusterState, type ClusterState, type FlinkProcess } from './state.js';

/** The JobManager's /v1/overview: what the cluster has and runs. */
export interface ClusterOverview {
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsAvailable: number;
  readonly jobsRunning: number;
  readonly flinkVersion: string;
}

/** The JobManager's overview, or undefined while its REST API does not answer. */
export async function clusterOverview(webUi: string, timeoutMs = 2000): Promise<ClusterOverview | undefined> {
  try {
    const r = await fetch(`${webUi}/v1/overview`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!r.ok) return undefined;
    const o = (await r.json()) as Record<string, unknown>;
    const n = (k: string): number => {
      const v = o[k];
      return typeof v === 'number' ? v : 0;
    };
    return { taskManagers: n('taskmanagers'), slotsTotal: n('slots-total'), slotsAvailable: n('slots-available'), jobsRunning: n('jobs-running'), flinkVersion: typeof o['flink-version'] === 'string' ? o['flink-version'] : '?' };
  } catch {
    return undefined;
  }
}

/**
 * Whether the JobManager answering at `webUi` is the one started with `startId` (its configuration
 * holds it). A port chosen free can be taken by another process before the JobManager binds it: then
 * another cluster answers there, and its TaskManagers must not count as ours.
 */
export async function answersWithStartId(webUi: string, startId: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const r = await fetch(`${webUi}/jobmanager/config`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!r.ok) return false;
    const entries = (await r.json());
    return Array.isArray(entries) && entries.some((e: { key?: unknown; value?: unknown }) => e.key === CLUSTER_START_KEY && e.value === startId);
  } catch {
    return false;
  }
}

/** The gateway's Flink version, or undefined while it does not answer /v1/info. */
export async function gatewayVersion(gateway: string, timeoutMs = 2000): Promise<string | undefined> {
  try {
    return (await new FlinkGateway(gateway, { timeoutMs }).info()).version;
  } catch {
    return undefined;
  }
}

export interface ClusterStatus {
  readonly running: boolean;
  /** Every recorded process runs, the gateway answers and the TaskManagers are registered. */
  readonly healthy: boolean;
  readonly state?: ClusterState;
  readonly processes: readonly (FlinkProcess & { readonly alive: boolean; readonly rssBytes?: number })[];
  readonly gatewayVersion?: string;
  readonly overview?: ClusterOverview;
  readonly paths: FlinkPaths;
}

/** What runs of the local cluster, where, with how much memory, and whether it answers. */
export async function clusterStatus(paths: FlinkPaths = flinkPaths()): Promise<ClusterStatus> {
  const state = readClusterState(paths);
  if (!state) return { running: false, healthy: false, processes: [], paths };
  const processes = state.processes.map((p) => {
    const alive = isFlinkProcess(p.pid, p.role);
    const rss = alive ? processRss(p.pid) : undefined;
    return { ...p, alive, ...(rss !== undefined ? { rssBytes: rss } : {}) };
  });
  const running = processes.some((p) => p.alive);
  if (!running) return { running: false, healthy: false, processes, paths };
  const [version, overview] = await Promise.all([gatewayVersion(state.gateway), clusterOverview(state.webUi)]);
  const tms = processes.filter((p) => p.role === 'taskmanager').length;
  const healthy = processes.every((p) => p.alive) && version !== undefined && overview !== undefined && overview.taskManagers >= tms;
  return { running, healthy, state, processes, paths, ...(version ? { gatewayVersion: version } : {}), ...(overview ? { overview } : {}) };
}
