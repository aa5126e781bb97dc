import type { FlinkPaths } from './paths.js';

/** The ports the cluster listens on; every other socket Flink opens is on an ephemeral port. */
export interface FlinkPorts {
  /** JobManager RPC (Pekko), default 6123. */
  readonly rpc: number;
  /** JobManager REST API and web UI, default 8081. */
  readonly rest: number;
  /** SQL Gateway REST endpoint, default 8083. */
  readonly gateway: number;
}

export const defaultPorts: FlinkPorts = { rpc: 6123, rest: 8081, gateway: 8083 };

/** Memory and parallelism, sized for a 2-core machine that runs other work too. */
export interface ClusterSizing {
  readonly taskManagers: number;
  readonly jobManagerMemory: string;
  readonly taskManagerMemory: string;
  /** The gateway JVM's heap (it plans and compiles the statements; jobs run on the TaskManagers). */
  readonly gatewayHeap: string;
  readonly checkpointInterval: string;
}

export const defaultSizing: ClusterSizing = {
  taskManagers: 2,
  jobManagerMemory: '768m',
  taskManagerMemory: '1024m',
  gatewayHeap: '512m',
  checkpointInterval: '10s',
};

const LOOPBACK = '127.0.0.1';

/**
 * Flink's configuration for the local cluster, as flat keys. Everything binds to 127.0.0.1;
 * checkpoints (hashmap state, exactly once) go to a local folder every `checkpointInterval`.
 */
/**
 * The configuration key whose value tells this start's JobManager apart from another on its REST port.
 * Not a "token": the REST API masks the value of every key that names one (or a password, a secret).
 */
export const CLUSTER_START_KEY = 'windowpane.start-id';

export function clusterConfig(paths: FlinkPaths, ports: FlinkPorts, sizing: ClusterSizing = defaultSizing, startId?: string): Record<string, string> {
  return {
    // 0. Which start this is (the JobManager's REST API shows its configuration): see status.ts.
    ...(startId ? { [CLUSTER_START_KEY]: startId } : {}),
    // 1. Addresses: loopback only.
    'jobmanager.rpc.address': LOOPBACK,
    'jobmanager.rpc.port': String(ports.rpc),
    'jobmanager.bind-host': LOOPBACK,
    'taskmanager.host': LOOPBACK,
    'taskmanager.bind-host': LOOPBACK,
    'rest.address': LOOPBACK,
    'rest.bind-address': LOOPBACK,
    'rest.port': String(ports.rest),
    'sql-gateway.endpoint.rest.address': LOOPBACK,
    'sql-gateway.endpoint.rest.bind-address': LOOPBACK,
    'sql-gateway.endpoint.rest.port': String(ports.gateway),
    // The gateway submits to the JobManager's REST API.
    'execution.target': 'remote',

    // 2. Memory: small fixed pools, so the heaps get what is left (BashJavaUtils checks the sums).
    //    Framework off-heap stays at Flink's 128m: batch shuffles take their read buffers from it.
    'jobmanager.memory.process.size': sizing.jobManagerMemory,
    'jobmanager.memory.jvm-metaspace.size': '192m',
    'jobmanager.memory.jvm-overhead.min': '128m',
    'jobmanager.memory.jvm-overhead.max': '128m',
    'taskmanager.memory.process.size': sizing.taskManagerMemory,
    'taskmanager.memory.jvm-metaspace.size': '192m',
    'taskmanager.memory.jvm-overhead.min': '128m',
    'taskmanager.memory.jvm-overhead.max': '128m',
    'taskmanager.memory.framework.off-heap.size': '128m',
    'taskmanager.memory.network.min': '64m',
    'taskmanager.memory.network.max': '64m',
    // Window aggregations need some managed memory even with heap state (0 fails HOP and SESSION).
    'taskmanager.memory.managed.size': '64m',
    'taskmanager.numberOfTaskSlots': '1',
    'parallelism.default': '1',

    // 3. Fault tolerance: checkpoints to a local folder; a lost TaskManager is noticed in seconds.
    'state.backend.type': 'hashmap',
    'execution.checkpointing.interval': sizing.checkpointInterval,
    'execution.checkpointing.mode': 'EXACTLY_ONCE',
    'execution.checkpointing.dir': `file://${paths.checkpoints}`,
    'execution.checkpointing.savepoint-dir': `file://${paths.savepoints}`,
    'execution.checkpointing.num-retained': '2',
    'jobmanager.execution.failover-strategy': 'region',
    'heartbeat.interval': '2000',
    'heartbeat.timeout': '15000',

    // 4. No Hadoop security or delegation tokens: Hadoop's Configuration is on the classpath for the
    //    Parquet format only, without HDFS or Kerberos.
    'security.module.factory.classes': 'org.apache.flink.runtime.security.modules.JaasModuleFactory',
    'security.context.factory.classes': 'org.apache.flink.runtime.security.contexts.NoOpSecurityContextFactory',
    'security.delegation.tokens.enabled': 'false',
    // The Parquet format's table statistics would need Hadoop's login classes; plans do without them.
    'table.optimizer.source.report-statistics-enabled': 'false',

    // 5. Files: temporary files and uploaded jars stay in the state folder.
    'io.tmp.dirs': paths.tmp,
    'blob.storage.directory': paths.tmp,
    'web.tmpdir': paths.tmp,
    'taskmanager.memory.numa': 'false',
  };
}

/** A YAML scalar: plain when it cannot be misread, else double-quoted JSON (valid YAML). */
function yamlScalar(value: string): string {
  const plain = /^[A-Za-z0-9_./][A-Za-z0-9_./:+ -]*$/.test(value) && !/: | #/.test(value) && !value.endsWith(' ') && !/^(true|false|null|yes|no|on|off|~)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/** conf/config.yaml (Flink 2 reads standard YAML; flat keys are allowed). */
export function renderConfigYaml(config: Readonly<Record<string, string>>): string {
  const lines = ['# Written by `windowpane flink start` on each start; edits are overwritten.'];
  for (const [key, value] of Object.entries(config)) lines.push(`${key}: ${yamlScalar(value)}`);
  return lines.join('\n') + '\n';
}

/** log4j2 configuration: each process logs to the file in its `log.file` system property. */
export function log4jProperties(): string {
  return [
    'monitorInterval = 0',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = MainAppender',
    'logger.pekko.name = org.apache.pekko',
    'logger.pekko.level = INFO',
    'logger.kafka.name = org.apache.kafka',
    'logger.kafka.level = WARN',
    'logger.hadoop.name = org.apache.hadoop',
    'logger.hadoop.level = WARN',
    'logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline',
    'logger.netty.level = OFF',
    'appender.main.name = MainAppender',
    'appender.main.type = RollingFile',
    'appender.main.append = false',
    'appender.main.fileName = ${sys:log.file}',
    'appender.main.filePattern = ${sys:log.file}.%i',
    'appender.main.layout.type = PatternLayout',
    'appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n',
    'appender.main.policies.type = Policies',
    'appender.main.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.main.policies.size.size = 20MB',
    'appender.main.strategy.type = DefaultRolloverStrategy',
    'appender.main.strategy.max = 3',
    '',
  ].join('\n');
}
