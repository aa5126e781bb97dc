import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';

/**
 * How Windowpane reaches Kafka. Read once from, in order of precedence:
 *   1. environment variables (WINDOWPANE_KAFKA_*),
 *   2. a JSON config file: $WINDOWPANE_CONFIG, else ./windowpane.config.json in the working folder,
 *   3. the local broker started by `windowpane kafka start` (its address is in the state folder).
 * SASL and TLS options are passed through to the Kafka client as they are.
 */
export interface KafkaSettings {
  /** host:port pairs; empty means "use the local broker". */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl?: boolean | Record<string, unknown>;
  readonly sasl?: { readonly mechanism: string; readonly username?: string; readonly password?: string; readonly [k: string]: unknown };
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export interface SettingsFile {
  readonly kafka?: Partial<KafkaSettings>;
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | undefined {
  if (env.WINDOWPANE_CONFIG) return env.WINDOWPANE_CONFIG;
  const local = join(cwd, 'windowpane.config.json');
  return existsSync(local) ? local : undefined;
}

export function readSettingsFile(path: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError('config-file-unreadable', messages.configFileUnreadable(path), { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError('config-file-invalid', messages.configFileInvalid(path, String(cause)), { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('config-file-invalid', messages.configFileInvalid(path, 'the top level must be a JSON object'));
  }
  const kafka = (parsed as { kafka?: unknown }).kafka;
  if (kafka !== undefined && (typeof kafka !== 'object' || kafka === null || Array.isArray(kafka))) {
    throw new ConfigError('config-file-invalid', messages.configFileInvalid(path, '"kafka" must be an object'));
  }
  return parsed;
}

function parseBrokers(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (!list || !list.every((b): b is string => typeof b === 'string')) {
    throw new ConfigError('invalid-brokers', messages.invalidBrokers(where, JSON.stringify(value)));
  }
  const brokers = list.map((b) => b.trim()).filter((b) => b.length > 0);
  for (const b of brokers) {
    if (!/^[^\s:]+:\d+$/.test(b)) throw new ConfigError('invalid-brokers', messages.invalidBrokers(where, b));
  }
  return brokers;
}

function parseJsonEnv(name: string, value: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(value);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new ConfigError('invalid-env', messages.invalidJsonEnv(name, value));
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError('invalid-env', messages.invalidPositiveInt(name, value));
  return n;
}

/** Reads the Kafka settings from the environment and the config file (see above). */
export function loadKafkaSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): KafkaSettings {
  const path = configFilePath(env, cwd);
  const file = path ? (readSettingsFile(path).kafka ?? {}) : {};
  const brokers = env.WINDOWPANE_KAFKA_BROKERS
    ? parseBrokers(env.WINDOWPANE_KAFKA_BROKERS, 'WINDOWPANE_KAFKA_BROKERS')
    : file.brokers
      ? parseBrokers(file.brokers, `"kafka.brokers" in ${path}`)
      : [];
  let ssl: KafkaSettings['ssl'] = file.ssl;
  if (env.WINDOWPANE_KAFKA_SSL !== undefined && env.WINDOWPANE_KAFKA_SSL !== '') {
    const v = env.WINDOWPANE_KAFKA_SSL;
    ssl = v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : parseJsonEnv('WINDOWPANE_KAFKA_SSL', v);
  }
  let sasl = file.sasl;
  if (env.WINDOWPANE_KAFKA_SASL_MECHANISM) {
    sasl = {
      mechanism: env.WINDOWPANE_KAFKA_SASL_MECHANISM,
      username: env.WINDOWPANE_KAFKA_SASL_USERNAME,
      password: env.WINDOWPANE_KAFKA_SASL_PASSWORD,
    };
  }
  const settings: KafkaSettings = {
    brokers,
    clientId: env.WINDOWPANE_KAFKA_CLIENT_ID ?? file.clientId ?? 'windowpane',
    ...(ssl !== undefined ? { ssl } : {}),
    ...(sasl !== undefined ? { sasl } : {}),
    ...(file.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: file.connectionTimeoutMs } : {}),
    ...(file.requestTimeoutMs !== undefined ? { requestTimeoutMs: file.requestTimeoutMs } : {}),
  };
  const ct = positiveInt('WINDOWPANE_KAFKA_CONNECTION_TIMEOUT_MS', env.WINDOWPANE_KAFKA_CONNECTION_TIMEOUT_MS);
  const rt = positiveInt('WINDOWPANE_KAFKA_REQUEST_TIMEOUT_MS', env.WINDOWPANE_KAFKA_REQUEST_TIMEOUT_MS);
  return { ...settings, ...(ct ? { connectionTimeoutMs: ct } : {}), ...(rt ? { requestTimeoutMs: rt } : {}) };
}
