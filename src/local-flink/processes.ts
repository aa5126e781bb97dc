import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FlinkError } from '../errors.js';
import { messages } from '../messages.js';
import type { FlinkPaths } from './paths.js';

/** The JVMs of the local cluster. */
export type FlinkRole = 'jobmanager' | 'taskmanager' | 'sql-gateway';

/** Each role's main class; also how a pid is recognised as ours in /proc/<pid>/cmdline. */
export const mainClass: Record<FlinkRole, string> = {
  jobmanager: 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint',
  taskmanager: 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
  'sql-gateway': 'org.apache.flink.table.gateway.SqlGateway',
};

/** The module flags Flink needs on Java 17 (what its distribution's config.yaml sets in env.java.opts.all). */
export const java17Options: readonly string[] = [
  ...['java.base/sun.net.util', 'java.rmi/sun.rmi.registry', 'jdk.compiler/com.sun.tools.javac.api', 'jdk.compiler/com.sun.tools.javac.file', 'jdk.compiler/com.sun.tools.javac.parser', 'jdk.compiler/com.sun.tools.javac.tree', 'jdk.compiler/com.sun.tools.javac.util', 'java.security.jgss/sun.security.krb5'].map(
    (p) => `--add-exports=${p}=ALL-UNNAMED`,
  ),
  ...['java.lang', 'java.net', 'java.io', 'java.nio', 'sun.nio.ch', 'java.lang.reflect', 'java.text', 'java.time', 'java.util', 'java.util.concurrent', 'java.util.concurrent.atomic', 'java.util.concurrent.locks'].map(
    (p) => `--add-opens=java.base/${p}=ALL-UNNAMED`,
  ),
];

/** lib/'s jars in name order with flink-dist last, as Flink's own scripts build the classpath. */
export function libClasspath(paths: FlinkPaths, extra: readonly string[] = []): string {
  const jars = readdirSync(paths.lib).filter((f) => f.endsWith('.jar')).sort();
  const dist = jars.filter((f) => f.startsWith('flink-dist'));
  return [...jars.filter((f) => !f.startsWith('flink-dist')), ...dist].map((f) => join(paths.lib, f)).concat(extra).join(':');
}

export interface MemoryParams {
  /** -Xmx, -Xms, -XX:MaxDirectMemorySize, -XX:MaxMetaspaceSize. */
  readonly jvm: readonly string[];
  /** `-D key=value` pairs that fix the derived memory sizes for the process. */
  readonly dynamic: readonly string[];
}

/** Reads BashJavaUtils' two result lines (JVM options, then dynamic configuration). */
export function parseBashJavaUtils(output: string): MemoryParams | undefined {
  const results = output
    .split('\n')
    .filter((l) => l.startsWith('BASH_JAVA_UTILS_EXEC_RESULT:'))
    .map((l) => l.slice('BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim());
  if (results.length < 2) return undefined;
  const jvm = results[0]!.split(/\s+/).filter((t) => t.length > 0);
  const tokens = results[1]!.split(/\s+/).filter((t) => t.length > 0);
  const dynamic: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === '-D' && tokens[i + 1] !== undefined) dynamic.push('-D', tokens[++i]!);
    else if (tokens[i]!.startsWith('-D')) dynamic.push(tokens[i]!);
  }
  return { jvm, dynamic };
}

/** Flink's memory calculation for a JobManager or TaskManager, from the written config.yaml. */
export function memoryParams(java: string, paths: FlinkPaths, role: 'jobmanager' | 'taskmanager'): MemoryParams {
  const command = role === 'jobmanager' ? 'GET_JM_RESOURCE_PARAMS' : 'GET_TM_RESOURCE_PARAMS';
  const run = spawnSync(java, ['-Xmx128m', '-cp', `${paths.bashJavaUtils}:${libClasspath(paths)}`, 'org.apache.flink.runtime.util.bash.BashJavaUtils', command, '--configDir', paths.conf], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const parsed = run.status === 0 ? parseBashJavaUtils(run.stdout) : undefined;
  if (!parsed) {
    const out = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new FlinkError('memory-config', messages.flinkMemoryConfig(role, paths.configYaml, out));
  }
  return parsed;
}

/** One JVM to spawn: its role, a name for logs ("taskmanager-2"), and its command line. */
export interface ProcessSpec {
  readonly role: FlinkRole;
  readonly name: string;
  readonly log: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

function logOptions(paths: FlinkPaths, log: string): string[] {
  return [`-Dlog.file=${log}`, `-Dlog4j.configurationFile=file:${paths.log4j}`, '-Djava.awt.headless=true'];
}

/** The command lines of the JobManager, the TaskManagers and the SQL Gateway. */
export function processSpecs(paths: FlinkPaths, jm: MemoryParams, tm: MemoryParams, taskManagers: number, gatewayHeap: string): ProcessSpec[] {
  const env = { FLINK_CONF_DIR: paths.conf, FLINK_LIB_DIR: paths.lib, FLINK_OPT_DIR: paths.opt, FLINK_PLUGINS_DIR: paths.plugins };
  const classpath = libClasspath(paths);
  const specs: ProcessSpec[] = [];
  const jmLog = join(paths.logs, 'jobmanager.log');
  specs.push({
    role: 'jobmanager',
    name: 'jobmanager',
    log: jmLog,
    env,
    args: ['-XX:+UseG1GC', ...jm.jvm, ...java17Options, ...logOptions(paths, jmLog), '-cp', classpath, mainClass.jobmanager, '--configDir', paths.conf, '--executionMode', 'cluster', ...jm.dynamic],
  });
  for (let i = 1; i <= taskManagers; i++) {
    const log = join(paths.logs, `taskmanager-${i}.log`);
    specs.push({
      role: 'taskmanager',
      name: `taskmanager-${i}`,
      log,
      env,
      args: ['-XX:+UseG1GC', ...tm.jvm, ...java17Options, ...logOptions(paths, log), '-cp', classpath, mainClass.taskmanager, '--configDir', paths.conf, '-D', `taskmanager.resource-id=taskmanager-${i}`, ...tm.dynamic],
    });
  }
  const gwLog = join(paths.logs, 'sql-gateway.log');
  const gatewayJars = readdirSync(paths.opt).filter((f) => f.startsWith('flink-sql-gateway') && f.endsWith('.jar')).map((f) => join(paths.opt, f));
  specs.push({
    role: 'sql-gateway',
    name: 'sql-gateway',
    log: gwLog,
    env,
    args: [`-Xms128m`, `-Xmx${gatewayHeap}`, '-XX:MaxMetaspaceSize=256m', '-XX:+UseG1GC', ...java17Options, ...logOptions(paths, gwLog), '-cp', libClasspath(paths, gatewayJars), mainClass['sql-gateway']],
  });
  return specs;
}
