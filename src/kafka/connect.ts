import type { Kafka } from 'kafkajs';
import { loadKafkaSettings, type KafkaSettings } from '../config/settings.js';
import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';
import { kafkaPaths } from '../local-kafka/paths.js';
import { localClientSecurity } from '../local-kafka/secure.js';
import { readBrokerState } from '../local-kafka/state.js';
import { createKafka } from './client.js';
import { DEFAULT_BROKER_TIMEOUT_MS } from './watch.js';

/** The brokers to use: configured ones, else the running local broker's address. */
export function resolveBrokers(settings: KafkaSettings = loadKafkaSettings()): string[] {
  if (settings.brokers.length > 0) return [...settings.brokers];
  const local = readBrokerState();
  if (local && local.alive) return [local.bootstrap];
  throw new ConfigError('no-broker', messages.brokerNotRunning());
}

/**
 * The settings with the brokers resolved. With no brokers configured the local broker is meant,
 * and when it runs secure (`windowpane kafka start --secure`) its CA and user come with it, unless
 * TLS or SASL settings were given.
 */
export function resolveSettings(settings: KafkaSettings = loadKafkaSettings()): KafkaSettings {
  if (settings.brokers.length > 0) return settings;
  const brokers = resolveBrokers(settings);
  const local = readBrokerState();
  const security = local?.secure ? localClientSecurity(kafkaPaths()) : undefined;
  return {
    ...settings,
    brokers,
    ...(security && settings.ssl === undefined && security.ssl !== undefined ? { ssl: security.ssl } : {}),
    ...(security && settings.sasl === undefined && security.sasl !== undefined ? { sasl: security.sasl } : {}),
  };
}

/** A kafkajs client for the configured cluster (or the local broker, logged in to when it runs secure). */
export function kafkaClient(settings: KafkaSettings = loadKafkaSettings()): Kafka {
  return createKafka(resolveSettings(settings));
}

/** How long a live run waits for an unreachable broker: the run's option, else the setting, else 2 minutes. */
export function brokerTimeoutMs(asked: number | undefined, settings: () => KafkaSettings = loadKafkaSettings): number {
  return asked ?? settings().brokerTimeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS;
}
