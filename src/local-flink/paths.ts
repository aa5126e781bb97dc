import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError } from '../errors.js';
import { packageRoot, stateDir } from '../util/paths.js';

/** The Flink version and the Kafka connector version that scripts/flink/pom.xml pins. */
export function pinnedVersions(pom = join(packageRoot, 'scripts', 'flink', 'pom.xml')): { readonly flink: string; readonly kafkaConnector: string } {
  const text = readFileSync(pom, 'utf8');
  const flink = /<flink\.version>([^<]+)</.exec(text)?.[1];
  const kafkaConnector = /<kafka\.connector\.version>([^<]+)</.exec(text)?.[1];
  if (!flink || !kafkaConnector) throw new InternalError(`${pom} does not pin flink.version and kafka.connector.version`);
  return { flink, kafkaConnector };
}

/**
 * Where the local Flink cluster keeps its distribution, configuration, logs, checkpoints and run
 * state. The distribution (about 300 MB of jars) is shared by every state folder, as the Kafka jars
 * are: tests that start private clusters fetch it once.
 */
export function flinkPaths(root = join(stateDir(), 'flink'), version = pinnedVersions().flink) {
  const dist = process.env.WINDOWPANE_FLINK_DIST ?? join(packageRoot, '.windowpane', 'cache', `flink-${version}`);
  return {
    root,
    version,
    dist,
    /** Flink's lib/ from the wheel plus the connectors from Maven: the classpath of every process. */
    lib: join(dist, 'lib'),
    /** The SQL Gateway's own jar, on the gateway's classpath only. */
    opt: join(dist, 'opt'),
    /** Flink's memory calculator (BashJavaUtils), from the wheel's bin/. */
    bashJavaUtils: join(dist, 'bin', 'bash-java-utils.jar'),
    /** Empty: the local cluster loads no plugins (Flink warns when the folder is missing). */
    plugins: join(dist, 'plugins'),
    /** The wheel's version once lib/ holds its jars; then the pom's digest once Maven's are added. */
    wheelMarker: join(dist, '.wheel-complete'),
    distMarker: join(dist, '.complete'),
    /** The jars Maven added to lib/ and opt/, so a changed pom replaces exactly those. */
    mavenJars: join(dist, '.maven-jars'),
    download: join(dist, 'download'),
    conf: join(root, 'conf'),
    configYaml: join(root, 'conf', 'config.yaml'),
    log4j: join(root, 'conf', 'log4j.properties'),
    logs: join(root, 'logs'),
    checkpoints: join(root, 'checkpoints'),
    savepoints: join(root, 'savepoints'),
    tmp: join(root, 'tmp'),
    state: join(root, 'cluster.json'),
    ports: join(root, 'ports.json'),
    pom: join(packageRoot, 'scripts', 'flink', 'pom.xml'),
  } as const;
}

export type FlinkPaths = ReturnType<typeof flinkPaths>;
