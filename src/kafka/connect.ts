import type { Kafka } from 'kafkajs';
import { loadKafkaSettings, type KafkaSettings } from '../config/settings.js';
import { ConfigError } from '../errors.js';
import { messages } from '../messages.js';
import { readBrokerState } from '../local-kafka/state.js';
import { createKafka } from './client.js';

/** The brokers to use: configured ones, else the running local broker's address. */
export function resolveBrokers(settings: KafkaSettings = loadKafkaSettings()): string[] {
  if (settings.brokers.length > 0) return [...settings.brokers];
  const local = readBrokerState();
  if (local && local.alive) return [local.bootstrap];
  throw new ConfigError('no-broker', messages.brokerNotRunning());
}

/** A kafkajs client for the configured cluster (or the local broker). */
export function kafkaClient(settings: KafkaSettings = loadKafkaSettings()): Kafka {
  return createKafka(settings, resolveBrokers(settings));
}
