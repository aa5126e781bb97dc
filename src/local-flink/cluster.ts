import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, FlinkError } from '../errors.js';
import { messages } from '../messages.js';
import { isPortFree } from '../local-kafka/ports.js';
import { clusterConfig, defaultSizing, log4jProperties, renderConfigYaml, type ClusterSizing, type FlinkPorts } from './config.js';
import { ensureDistribution, flinkJava, type FetchReport } from './distribution.js';
import { flinkPaths, type FlinkPaths } from './paths.js';
import { chooseClusterPorts } from './ports.js';
import { answersWithStartId, clusterOverview, gatewayVersion } from './status.js';
import { memoryParams, processSpecs, type ProcessSpec } from './processes.js';
import { clearClusterState, isFlinkProcess, liveProcesses, readClusterState, writeClusterState, type ClusterState, type FlinkProcess } from './state.js';

export interface StartOptions {
  readonly paths?: FlinkPaths;
  /** Preferred ports (defaults 6123, 8081, 8083, or those of the last start); busy ones are replaced by free ones. */
  readonly ports?: Partial<FlinkPorts>;
  readonly sizing?: Partial<ClusterSizing>;
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface StartResult extends ClusterState {
  /** False when the running cluster was reused. */
  readonly started: boolean;
  readonly startMs: number;
  readonly fetch: FetchReport;
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Sizing from the options, then WINDOWPANE_FLINK_* variables, then the defaults. */
export function sizingFrom(options: Partial<ClusterSizing> = {}, env: NodeJS.ProcessEnv = process.env): ClusterSizing {
  const tms = options.taskManagers ?? (env.WINDOWPANE_FLINK_TASK_MANAGERS ? Number(env.WINDOWPANE_FLINK_TASK_MANAGERS) : defaultSizing.taskManagers);
  if (!Number.isInteger(tms) || tms < 1 || tms > 16) throw new ConfigError('invalid-sizing', messages.flinkInvalidTaskManagers(String(options.taskManagers ?? env.WINDOWPANE_FLINK_TASK_MANAGERS)));
  return {
    taskManagers: tms,
    jobManagerMemory: options.jobManagerMemory ?? env.WINDOWPANE_FLINK_JM_MEMORY ?? defaultSizing.jobManagerMemory,
    taskManagerMemory: options.taskManagerMemory ?? env.WINDOWPANE_FLINK_TM_MEMORY ?? defaultSizing.taskManagerMemory,
    gatewayHeap: options.gatewayHeap ?? env.WINDOWPANE_FLINK_GATEWAY_HEAP ?? defaultSizing.gatewayHeap,
    checkpointInterval: options.checkpointInterval ?? defaultSizing.checkpointInterval,
  };
}

function spawnProcess(java: string, spec: ProcessSpec, onExit: (why: string) => void): FlinkProcess {
  const out = openSync(spec.log.replace(/\.log$/, '.out'), 'a');
  const child = spawn(java, spec.args, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...spec.env } });
  closeSync(out);
  child.unref();
  child.once('exit', (code, signal) => onExit(signal ? `signal ${signal}` : `exit code ${code}`));
  if (child.pid === undefined) throw new FlinkError('spawn-failed', messages.flinkProcessExited(spec.name, 'no pid', spec.log, tail(spec.log)));
  return { role: spec.role, name: spec.name, pid: child.pid, log: spec.log };
}

/**
 * Starts the local Flink cluster (a JobManager, the TaskManagers, the SQL Gateway), or reuses the
 * one running. Resolves once the gateway answers /v1/info and every TaskManager has registered.
 */
export async function startCluster(options: StartOptions = {}): Promise<StartResult> {
  const t0 = performance.now();
  const paths = options.paths ?? flinkPaths();
  const log = options.log ?? (() => undefined);
  const sizing = sizingFrom(options.sizing);
  const running = readClusterState(paths);
  const alive = liveProcesses(running);
  if (running && alive.length === running.processes.length && alive.filter((p) => p.role === 'taskmanager').length === sizing.taskManagers && (await gatewayVersion(running.gateway))) {
    return { ...running, started: false, startMs: performance.now() - t0, fetch: { fetched: false } };
  }
  if (alive.length > 0) {
    log('replacing the running cluster (a process is missing, or the number of TaskManagers differs)');
    await stopCluster({ paths });
  }
  clearClusterState(paths);

  // 1. Java, the distribution, the ports and the configuration.
  const java = flinkJava();
  const fetch = ensureDistribution(paths, log);
  for (const dir of [paths.conf, paths.logs, paths.checkpoints, paths.savepoints, paths.tmp, paths.plugins]) mkdirSync(dir, { recursive: true });
  const ports = await chooseClusterPorts(paths, options.ports);
  writeFileSync(paths.ports, JSON.stringify(ports) + '\n');
  const startId = `start-${randomBytes(8).toString('hex')}`;
  writeFileSync(paths.configYaml, renderConfigYaml(clusterConfig(paths, ports, sizing, startId)));
  writeFileSync(paths.log4j, log4jProperties());
  const specs = processSpecs(paths, memoryParams(java, paths, 'jobmanager'), memoryParams(java, paths, 'taskmanager'), sizing.taskManagers, sizing.gatewayHeap);

  // 2. Every JVM at once, detached so they outlive this command; recorded as soon as each runs.
  let exited: { spec: ProcessSpec; why: string } | undefined;
  const processes: FlinkProcess[] = [];
  const state = (): ClusterState => ({
    flinkVersion: paths.version,
    startedAt: new Date().toISOString(),
    ports,
    gateway: `http://127.0.0.1:${ports.gateway}`,
    webUi: `http://127.0.0.1:${ports.rest}`,
    processes,
  });
  for (const spec of specs) {
    processes.push(spawnProcess(java, spec, (why) => (exited ??= { spec, why })));
    writeClusterState(state(), paths);
  }

  // 3. Ready when the gateway answers and every TaskManager has registered with the JobManager.
  const final = state();
  writeClusterState(final, paths);
  const timeoutMs = options.readyTimeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [version, overview, ours] = await Promise.all([gatewayVersion(final.gateway, 1000), clusterOverview(final.webUi, 1000), answersWithStartId(final.webUi, startId, 1000)]);
    // a process that exited fails the start even when another cluster answers on its ports
    if (!exited && ours && version && overview && overview.taskManagers >= sizing.taskManagers) break;
    if (exited) {
      const { spec, why } = exited;
      await stopCluster({ paths });
      throw new FlinkError('process-exited', messages.flinkProcessExited(spec.name, why, spec.log, tail(spec.log) + '\n' + tail(spec.log.replace(/\.log$/, '.out'), 10)));
    }
    if (Date.now() > deadline) {
      await stopCluster({ paths });
      const what = !overview ? 'the JobManager REST API did not answer' : !ours ? `another process answers on the JobManager's REST port ${ports.rest}` : overview.taskManagers < sizing.taskManagers ? `${overview.taskManagers} of ${sizing.taskManagers} TaskManagers registered` : 'the SQL Gateway did not answer /v1/info';
      throw new FlinkError('not-ready', messages.flinkNotReady(Math.round(timeoutMs / 1000), what, paths.logs));
    }
    await delay(250);
  }
  return { ...final, started: true, startMs: performance.now() - t0, fetch };
}

export interface StopResult {
  readonly stopped: boolean;
  readonly processes: readonly FlinkProcess[];
  /** Names of processes that did not stop within the grace period and were killed. */
  readonly killed: readonly string[];
  readonly stopMs: number;
}

/** Stops every process of the local cluster (SIGTERM, then SIGKILL after the grace period) and waits for its ports. */
export async function stopCluster(options: { paths?: FlinkPaths; graceMs?: number } = {}): Promise<StopResult> {
  const t0 = performance.now();
  const paths = options.paths ?? flinkPaths();
  const state = readClusterState(paths);
  const alive = liveProcesses(state);
  for (const p of alive) process.kill(p.pid, 'SIGTERM');
  const killed: string[] = [];
  const deadline = Date.now() + (options.graceMs ?? 30_000);
  for (;;) {
    const left = alive.filter((p) => isFlinkProcess(p.pid, p.role));
    if (left.length === 0) break;
    if (Date.now() > deadline) {
      for (const p of left.filter((p) => !killed.includes(p.name))) {
        process.kill(p.pid, 'SIGKILL');
        killed.push(p.name);
      }
    }
    await delay(100);
  }
  if (state) {
    const ports = [state.ports.rpc, state.ports.rest, state.ports.gateway];
    for (let i = 0; i < 50; i++) {
      const free = await Promise.all(ports.map((p) => isPortFree(p)));
      if (free.every(Boolean)) break;
      await delay(100);
    }
  }
  clearClusterState(paths);
  return { stopped: alive.length > 0, processes: alive, killed, stopMs: performance.now() - t0 };
}
