import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { KafkaSettings } from '../config/settings.js';
import { createKafka } from '../kafka/client.js';
import { BrokerError, ConfigError } from '../errors.js';
import { messages } from '../messages.js';
import { ensureJars, javaCommand, kafkaVersion, type JarProgress } from './jars.js';
import { kafkaPaths, type KafkaPaths } from './paths.js';
import { choosePort, isPortFree } from './ports.js';
import { log4jProperties, serverProperties, type SecureProperties } from './properties.js';
import { ensureSecureMaterial, localClientSecurity, SECURE_MECHANISM, securePaths, writePrivate } from './secure.js';
import { clearBrokerState, isProcessAlive, processRss, readBrokerState, writeBrokerState, type BrokerState } from './state.js';

export interface StartOptions {
  /** Preferred broker port (default 9092, or WINDOWPANE_KAFKA_PORT); another is taken when it is busy. */
  readonly port?: number;
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** How far the first start's jar download got, every second while it runs (else a log line every 15 s). */
  readonly onJarProgress?: (progress: JarProgress) => void;
  readonly paths?: KafkaPaths;
  /** SASL/SCRAM over TLS on the client listener, with certificates and a user made locally. */
  readonly secure?: boolean;
}

export interface StartResult extends BrokerState {
  /** False when an already running broker was reused. */
  readonly started: boolean;
  readonly startMs: number;
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Answers when the broker serves an admin request (describeCluster); `security` logs in to a secure one. */
export async function brokerAnswers(bootstrap: string, timeoutMs = 2000, security: Pick<KafkaSettings, 'ssl' | 'sasl'> = {}): Promise<boolean> {
  const admin = createKafka({ brokers: [bootstrap], clientId: 'windowpane-probe', connectionTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs, ...security }).admin({
    retry: { retries: 0 },
  });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** A cluster id as Kafka makes them: 16 random bytes, base64url, never starting with '-'. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url').slice(0, 22);
    if (!id.startsWith('-')) return id;
  }
}

/** Formats the storage once; a secure broker's gets its SCRAM user at the same time (KRaft keeps users in the metadata log). */
function formatStorage(java: string, classpath: string, paths: KafkaPaths, secure: SecureProperties | undefined): void {
  const data = secure ? secure.files.data : paths.data;
  if (existsSync(`${data}/meta.properties`)) return;
  mkdirSync(data, { recursive: true });
  const clusterId = existsSync(paths.clusterId) ? readFileSync(paths.clusterId, 'utf8').trim() : newClusterId();
  writeFileSync(paths.clusterId, clusterId + '\n');
  // --cluster-id=ID, not "-t ID": an id may start with '-', which the tool would read as an option
  const scram = secure ? ['--add-scram', `${SECURE_MECHANISM.kafka}=[name=${secure.username},password=${secure.password}]`] : [];
  const run = spawnSync(java, ['-cp', classpath, `-Dlog4j2.configurationFile=${paths.log4j}`, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', paths.properties, '--ignore-formatted', ...scram], {
    encoding: 'utf8',
  });
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new BrokerError('format-failed', messages.brokerFormatFailed(data, secure ? output.split(secure.password).join('***') : output));
}

function secureProperties(paths: KafkaPaths, log: (line: string) => void): SecureProperties {
  const material = ensureSecureMaterial(paths, log);
  return { files: securePaths(paths), storePassword: material.storePassword, username: material.credentials.username, password: material.credentials.password };
}

/** How a client logs in to the broker a state describes (nothing for a plain one). */
function stateSecurity(state: BrokerState, paths: KafkaPaths): Pick<KafkaSettings, 'ssl' | 'sasl'> {
  return state.secure ? (localClientSecurity(paths) ?? {}) : {};
}

/**
 * Starts the local broker, or reuses the one already running. Resolves once the broker answers an
 * admin request, with its bootstrap address.
 */
export async function startBroker(options: StartOptions = {}): Promise<StartResult> {
  const t0 = performance.now();
  const paths = options.paths ?? kafkaPaths();
  const log = options.log ?? (() => undefined);
  const running = readBrokerState(paths);
  if (running?.alive && options.secure && !running.secure) throw new ConfigError('broker-not-secure', messages.brokerNotSecure(running.bootstrap));
  if (running?.alive && (await brokerAnswers(running.bootstrap, 2000, stateSecurity(running, paths)))) {
    return { ...running, started: false, startMs: performance.now() - t0 };
  }
  if (running?.alive) await stopBroker({ paths }); // a stuck broker: replace it
  clearBrokerState(paths);

  // 1. Java, the jars, and the config files.
  const java = javaCommand();
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.data, { recursive: true });
  const classpath = await ensureJars(paths, log, options.onJarProgress);
  const previous = existsSync(paths.ports) ? (JSON.parse(readFileSync(paths.ports, 'utf8')) as { port?: number; controllerPort?: number }) : {};
  const envPort = process.env.WINDOWPANE_KAFKA_PORT ? Number(process.env.WINDOWPANE_KAFKA_PORT) : undefined;
  const port = await choosePort(options.port ?? envPort ?? previous.port ?? 9092);
  const controllerPort = await choosePort(previous.controllerPort ?? port + 1, [port]);
  writeFileSync(paths.ports, JSON.stringify({ port, controllerPort }) + '\n');
  const secure = options.secure ? secureProperties(paths, log) : undefined;
  if (secure) writePrivate(paths.properties, serverProperties(paths, port, controllerPort, secure));
  else writeFileSync(paths.properties, serverProperties(paths, port, controllerPort));
  writeFileSync(paths.log4j, log4jProperties(paths));
  formatStorage(java, classpath, paths, secure);

  // 2. The broker process, detached so it outlives this command.
  const heap = process.env.WINDOWPANE_KAFKA_HEAP ?? '512m';
  const out = openSync(paths.consoleLog, 'a');
  const child = spawn(
    java,
    [`-Xms128m`, `-Xmx${heap}`, '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${paths.log4j}`, '-cp', classpath, 'kafka.Kafka', paths.properties],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new BrokerError('spawn-failed', messages.brokerExited('no pid', paths.consoleLog, tail(paths.consoleLog)));
  const bootstrap = `127.0.0.1:${port}`;
  const state: BrokerState = {
    pid, port, controllerPort, bootstrap, startedAt: new Date().toISOString(), kafkaVersion: kafkaVersion(paths),
    ...(secure ? { secure: { mechanism: SECURE_MECHANISM.client, username: secure.username, credentials: secure.files.credentials, ca: secure.files.ca } } : {}),
  };
  writeBrokerState(state, paths);

  // 3. Wait until it answers, or report why it died.
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `exit code ${code}`));
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  const security = stateSecurity(state, paths);
  while (!(await brokerAnswers(bootstrap, 1000, security))) {
    if (exit !== undefined) {
      clearBrokerState(paths);
      throw new BrokerError('broker-exited', messages.brokerExited(exit, paths.serverLog, tail(paths.serverLog) + '\n' + tail(paths.consoleLog, 10)));
    }
    if (Date.now() > deadline) {
      await stopBroker({ paths });
      throw new BrokerError('broker-not-ready', messages.brokerNotReady(Math.round((options.readyTimeoutMs ?? 90_000) / 1000), paths.serverLog));
    }
    await delay(200);
  }
  return { ...state, started: true, startMs: performance.now() - t0 };
}

export interface StopResult {
  readonly stopped: boolean;
  readonly pid?: number;
  readonly killed?: boolean;
}

/** Stops the local broker cleanly (SIGTERM, then SIGKILL after the grace period) and waits for its port. */
export async function stopBroker(options: { paths?: KafkaPaths; graceMs?: number } = {}): Promise<StopResult> {
  const paths = options.paths ?? kafkaPaths();
  const state = readBrokerState(paths);
  if (!state?.alive) {
    clearBrokerState(paths);
    return { stopped: false };
  }
  let killed = false;
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + (options.graceMs ?? 30_000);
  while (isProcessAlive(state.pid)) {
    if (Date.now() > deadline && !killed) {
      process.kill(state.pid, 'SIGKILL');
      killed = true;
    }
    await delay(100);
  }
  for (let i = 0; i < 50 && !((await isPortFree(state.port)) && (await isPortFree(state.controllerPort))); i++) await delay(100);
  clearBrokerState(paths);
  return { stopped: true, pid: state.pid, killed };
}

export interface BrokerStatus {
  readonly running: boolean;
  readonly answering: boolean;
  readonly state?: BrokerState;
  readonly rssBytes?: number;
  readonly paths: KafkaPaths;
}

export async function brokerStatus(paths: KafkaPaths = kafkaPaths()): Promise<BrokerStatus> {
  const state = readBrokerState(paths);
  if (!state?.alive) return { running: false, answering: false, paths };
  const rss = processRss(state.pid);
  return { running: true, answering: await brokerAnswers(state.bootstrap, 2000, stateSecurity(state, paths)), state, paths, ...(rss !== undefined ? { rssBytes: rss } : {}) };
}

