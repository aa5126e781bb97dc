import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions, type logCreator } from 'kafkajs';
import type { KafkaSettings } from '../config/settings.js';
import { warn } from '../util/log.js';

// We pick the partitioner deliberately (kafkajs' default, murmur2 like the Java client).
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/**
 * Retries while a broker starts, a coordinator loads or moves, or a leader is elected are routine:
 * the client retries them by itself, though kafkajs reports them as errors.
 */
const routine = /coordinator is not available|coordinator is loading|not the correct coordinator|COORDINATOR_(LOAD_IN_PROGRESS|NOT_AVAILABLE)|NOT_COORDINATOR|Connection error|ECONNREFUSED|There is no leader|leadership election|LEADER_NOT_AVAILABLE|NOT_LEADER|rebalanc/i;

/**
 * Failures that reach the caller as a WindowpaneError of their own (a login refused), or through
 * the reader's BrokerWatch (a consumer's crash: the reader opens a new one or gives up with a clear
 * error): not logged twice. And the Kafka sink's producer limits its retries on purpose: it sends
 * the same messages again itself, with the same sequence numbers (engine/sink/kafkaWriter.ts).
 */
const reported = /SASL .*authentication failed|Authentication failed during authentication|^Crash: |Limiting retries for the idempotent producer/i;

const NAMESPACES: Readonly<Record<string, string>> = { Connection: 'connection', Producer: 'producer', Consumer: 'consumer', Admin: 'admin client', BrokerPool: 'client', Cluster: 'client', Runner: 'consumer' };

/** One kafkajs log entry as our own line, or undefined when it is routine or below a warning. */
export function kafkaLogLine(entry: Pick<LogEntry, 'namespace' | 'level' | 'log'>): string | undefined {
  if (entry.level > logLevel.WARN || entry.level === logLevel.NOTHING) return undefined;
  const { message, error, broker } = entry.log as { message?: unknown; error?: unknown; broker?: unknown };
  const text = asText(message).replace(/^\[\w+\]\s*/, '');
  const why = asText(error);
  if (routine.test(`${text} ${why}`) || reported.test(`${text} ${why}`)) return undefined;
  const what = NAMESPACES[entry.namespace] ?? (entry.namespace ? entry.namespace.toLowerCase() : 'client');
  return `Kafka ${what}: ${text}${why && !text.includes(why) ? `: ${why}` : ''}${typeof broker === 'string' ? ` (broker ${broker})` : ''}`;
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (v instanceof Error) return v.message;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** kafkajs logs JSON to stdout by default; ours are warnings and errors in our words, through our logger. */
const ourLogs: logCreator = () => (entry) => {
  const line = kafkaLogLine(entry);
  if (line !== undefined) warn(line);
};

/**
 * Who logs in to each broker address (`user "app" (scram-sha-512)`), as the clients made here were
 * told: an authentication failure names the user without the error having to carry the settings.
 */
const identities = new Map<string, string>();

/**
 * The SASL identity last configured for one of these brokers (host:port, or a comma-separated list);
 * for brokers not known by address (a client given to the engine), the one identity in use if
 * there is only one.
 */
export function saslIdentity(brokers: string): string | undefined {
  for (const b of brokers.split(',')) {
    const who = identities.get(b.trim());
    if (who !== undefined) return who;
  }
  const all = new Set(identities.values());
  return all.size === 1 ? [...all][0] : undefined;
}

/** The settings each client made here was made with: the read path opens its own connections with them. */
const made = new WeakMap<Kafka, { readonly settings: KafkaSettings; readonly brokers: readonly string[] }>();

/** The settings and brokers a client was made with by createKafka; undefined for a client made elsewhere. */
export function clientSettings(kafka: Kafka): { readonly settings: KafkaSettings; readonly brokers: readonly string[] } | undefined {
  return made.get(kafka);
}

/** A kafkajs client for the given settings. `brokers` must be non-empty here. */
export function createKafka(settings: KafkaSettings, brokers: readonly string[] = settings.brokers): Kafka {
  if (settings.sasl) {
    const who = `user ${JSON.stringify(settings.sasl.username ?? '')} (${settings.sasl.mechanism})`;
    for (const b of brokers) identities.set(b, who);
  }
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: [...brokers],
    logLevel: logLevel.WARN,
    logCreator: ourLogs,
    ...(settings.ssl !== undefined ? { ssl: settings.ssl } : {}),
    ...(settings.sasl !== undefined ? { sasl: settings.sasl as unknown as SASLOptions } : {}),
    ...(settings.connectionTimeoutMs !== undefined ? { connectionTimeout: settings.connectionTimeoutMs } : {}),
    ...(settings.requestTimeoutMs !== undefined ? { requestTimeout: settings.requestTimeoutMs } : {}),
  };
  const kafka = new Kafka(config);
  made.set(kafka, { settings, brokers: [...brokers] });
  return kafka;
}
