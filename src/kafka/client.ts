import { Kafka, logLevel, type KafkaConfig, type SASLOptions, type logCreator } from 'kafkajs';
import type { KafkaSettings } from '../config/settings.js';

// We pick the partitioner deliberately (kafkajs' default, murmur2 like the Java client).
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const routine = /coordinator is not available|not the correct coordinator|Connection error|ECONNREFUSED|There is no leader|leadership election/i;

/** kafkajs logs to stdout by default; route warnings and errors to stderr, drop the rest. */
const quietLogs: logCreator = () => (entry) => {
  if (entry.level > logLevel.WARN) return;
  const { message, ...rest } = entry.log;
  // Retries while a broker starts or a coordinator moves are routine; kafkajs reports them as errors.
  if (routine.test(`${String(message)} ${String(rest.error ?? '')}`)) return;
  process.stderr.write(`kafka ${entry.namespace}: ${String(message)} ${JSON.stringify(rest)}\n`);
};

/** A kafkajs client for the given settings. `brokers` must be non-empty here. */
export function createKafka(settings: KafkaSettings, brokers: readonly string[] = settings.brokers): Kafka {
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: [...brokers],
    logLevel: logLevel.WARN,
    logCreator: quietLogs,
    ...(settings.ssl !== undefined ? { ssl: settings.ssl } : {}),
    ...(settings.sasl !== undefined ? { sasl: settings.sasl as unknown as SASLOptions } : {}),
    ...(settings.connectionTimeoutMs !== undefined ? { connectionTimeout: settings.connectionTimeoutMs } : {}),
    ...(settings.requestTimeoutMs !== undefined ? { requestTimeout: settings.requestTimeoutMs } : {}),
  };
  return new Kafka(config);
}
