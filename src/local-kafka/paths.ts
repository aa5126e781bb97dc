import { join } from 'node:path';
import { packageRoot, stateDir } from '../util/paths.js';

/** Where the local broker keeps its jars, data, logs and run state (under the state folder). */
export function kafkaPaths(root = join(stateDir(), 'kafka')) {
  const libDir = process.env.WINDOWPANE_KAFKA_LIB ?? join(packageRoot, '.windowpane', 'cache', 'kafka-lib');
  return {
    root,
    // The jars are shared by every state folder (tests start private brokers of their own).
    lib: libDir,
    libMarker: join(libDir, '.complete'),
    data: join(root, 'data'),
    logs: join(root, 'logs'),
    consoleLog: join(root, 'logs', 'console.log'),
    serverLog: join(root, 'logs', 'server.log'),
    properties: join(root, 'server.properties'),
    log4j: join(root, 'log4j2.properties'),
    state: join(root, 'broker.json'),
    ports: join(root, 'ports.json'),
    clusterId: join(root, 'cluster-id'),
    pom: join(packageRoot, 'scripts', 'kafka', 'pom.xml'),
  } as const;
}

export type KafkaPaths = ReturnType<typeof kafkaPaths>;
