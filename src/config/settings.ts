import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';

/**
 * How Windowpane reaches Kafka. Read once from, in order of precedence:
 *   1. environment variables (WINDOWPANE_KAFKA_*),
 *   2. a JSON config file: $WINDOWPANE_CONFIG, else ./windowpane.config.json in the working folder,
 *   3. the local broker started by `windowpane kafka start` (its address is in the state folder).
 * SASL and TLS options are passed through to the Kafka client; their secrets (the SASL password,
 * a TLS key or passphrase) are kept as non-enumerable properties, so that printing, logging or
 * JSON-encoding the settings never shows them (see docs/security.md).
 */
export interface KafkaSettings {
  /** host:port pairs; empty means "use the local broker". */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl?: boolean | Record<string, unknown>;
  readonly sasl?: { readonly mechanism: string; readonly username?: string; readonly password?: string; readonly [k: string]: unknown };
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** How long a live run waits for an unreachable broker before it stops (the run option brokerTimeout wins). */
  readonly brokerTimeoutMs?: number;
}

export interface SettingsFile {
  readonly kafka?: Partial<KafkaSettings> & { readonly ca?: string };
}

/** The SASL mechanisms a username and password log in with. */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The properties of client options that are secrets. */
const SECRET_KEYS = ['password', 'key', 'passphrase', 'pfx'];

/** A copy of client options whose secrets are there for the client to read but hidden from printing and JSON. */
export function hideSecrets<T extends object>(options: T): T {
  const copy = { ...options };
  for (const k of SECRET_KEYS) {
    if (!Object.hasOwn(options, k)) continue;
    Object.defineProperty(copy, k, { value: (options as Record<string, unknown>)[k], enumerable: false, writable: false, configurable: false });
  }
  return copy;
}

/** SASL options for a username and password (the password hidden as above). */
export function saslOptions(mechanism: string, username: string, password: string): NonNullable<KafkaSettings['sasl']> {
  return hideSecrets({ mechanism, username, password });
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

function fileMs(path: string | undefined, key: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new ConfigError('config-file-invalid', messages.configFileInvalid(path ?? 'windowpane.config.json', `"kafka.${key}" must be a positive whole number of milliseconds, not ${JSON.stringify(value)}`));
}

function readCa(where: string, path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError('ca-unreadable', messages.caUnreadable(where, path), { cause });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError('ca-unreadable', messages.caUnreadable(where, path));
  return pem;
}

/**
 * TLS: WINDOWPANE_KAFKA_SSL (true, false or a JSON object), else "kafka.ssl"; a CA file
 * (WINDOWPANE_KAFKA_CA, else "kafka.ca") turns TLS on and is the certificate the client trusts.
 */
function sslSettings(env: NodeJS.ProcessEnv, file: NonNullable<SettingsFile['kafka']>, path: string | undefined): KafkaSettings['ssl'] {
  let ssl: KafkaSettings['ssl'] = file.ssl;
  if (env.WINDOWPANE_KAFKA_SSL !== undefined && env.WINDOWPANE_KAFKA_SSL !== '') {
    const v = env.WINDOWPANE_KAFKA_SSL;
    ssl = v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : parseJsonEnv('WINDOWPANE_KAFKA_SSL', v);
  }
  const ca = env.WINDOWPANE_KAFKA_CA ? readCa('WINDOWPANE_KAFKA_CA', env.WINDOWPANE_KAFKA_CA) : typeof file.ca === 'string' ? readCa(`"kafka.ca" in ${path}`, file.ca) : undefined;
  if (ca !== undefined && ssl !== false) ssl = { ...(typeof ssl === 'object' ? ssl : {}), ca: [ca] };
  return typeof ssl === 'object' ? hideSecrets(ssl) : ssl;
}

/**
 * SASL: WINDOWPANE_KAFKA_SASL_MECHANISM with WINDOWPANE_KAFKA_USERNAME and _PASSWORD (also
 * accepted: _SASL_USERNAME and _SASL_PASSWORD), else "kafka.sasl" of the file.
 */
function saslSettings(env: NodeJS.ProcessEnv, file: NonNullable<SettingsFile['kafka']>, path: string | undefined): KafkaSettings['sasl'] {
  if (env.WINDOWPANE_KAFKA_SASL_MECHANISM) {
    const mechanism = env.WINDOWPANE_KAFKA_SASL_MECHANISM.toLowerCase();
    const username = env.WINDOWPANE_KAFKA_USERNAME ?? env.WINDOWPANE_KAFKA_SASL_USERNAME;
    const password = env.WINDOWPANE_KAFKA_PASSWORD ?? env.WINDOWPANE_KAFKA_SASL_PASSWORD;
    const where = 'the environment';
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) throw new ConfigError('invalid-sasl', messages.invalidSasl(where, `unknown mechanism ${JSON.stringify(env.WINDOWPANE_KAFKA_SASL_MECHANISM)}`));
    if (!username) throw new ConfigError('invalid-sasl', messages.invalidSasl(where, 'WINDOWPANE_KAFKA_USERNAME is not set'));
    if (password === undefined) throw new ConfigError('invalid-sasl', messages.invalidSasl(where, 'WINDOWPANE_KAFKA_PASSWORD is not set'));
    return saslOptions(mechanism, username, password);
  }
  if (env.WINDOWPANE_KAFKA_USERNAME || env.WINDOWPANE_KAFKA_PASSWORD) {
    throw new ConfigError('invalid-sasl', messages.invalidSasl('the environment', 'a username or password is set but WINDOWPANE_KAFKA_SASL_MECHANISM is not'));
  }
  const sasl: unknown = file.sasl;
  if (sasl === undefined) return undefined;
  const where = `"kafka.sasl" in ${path}`;
  if (typeof sasl !== 'object' || sasl === null || Array.isArray(sasl)) throw new ConfigError('invalid-sasl', messages.invalidSasl(where, 'it must be an object'));
  const mechanism = (sasl as { mechanism?: unknown }).mechanism;
  if (typeof mechanism !== 'string' || mechanism === '') throw new ConfigError('invalid-sasl', messages.invalidSasl(where, 'the "mechanism" is missing'));
  // any other mechanism's options (aws, oauthbearer) pass through to the client as they are
  return hideSecrets({ ...(sasl as Record<string, unknown>), mechanism: mechanism.toLowerCase() });
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
  const ssl = sslSettings(env, file, path);
  const sasl = saslSettings(env, file, path);
  const settings: KafkaSettings = {
    brokers,
    clientId: env.WINDOWPANE_KAFKA_CLIENT_ID ?? file.clientId ?? 'windowpane',
    ...(ssl !== undefined ? { ssl } : {}),
    ...(sasl !== undefined ? { sasl } : {}),
    ...(file.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: file.connectionTimeoutMs } : {}),
    ...(file.requestTimeoutMs !== undefined ? { requestTimeoutMs: file.requestTimeoutMs } : {}),
    ...(file.brokerTimeoutMs !== undefined ? { brokerTimeoutMs: fileMs(path, 'brokerTimeoutMs', file.brokerTimeoutMs) } : {}),
  };
  const ct = positiveInt('WINDOWPANE_KAFKA_CONNECTION_TIMEOUT_MS', env.WINDOWPANE_KAFKA_CONNECTION_TIMEOUT_MS);
  const rt = positiveInt('WINDOWPANE_KAFKA_REQUEST_TIMEOUT_MS', env.WINDOWPANE_KAFKA_REQUEST_TIMEOUT_MS);
  const bt = positiveInt('WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS', env.WINDOWPANE_KAFKA_BROKER_TIMEOUT_MS);
  return { ...settings, ...(ct ? { connectionTimeoutMs: ct } : {}), ...(rt ? { requestTimeoutMs: rt } : {}), ...(bt ? { brokerTimeoutMs: bt } : {}) };
}
