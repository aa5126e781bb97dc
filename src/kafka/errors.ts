/**
 * Kafka client and socket errors become KafkaErrors through data tables: the kafkajs error name or
 * the @platformatic/kafka error code (the read path's client), else the socket's errno code, else
 * (for a broker's protocol error) the client's own retriable flag, which comes from its table of
 * Kafka server error codes. The cause chain is followed, since kafkajs wraps
 * the last attempt's error in KafkaJSNumberOfRetriesExceeded once its own retries are spent.
 */
import type { ErrorCode } from '../errorCodes.js';
import { isWindowpaneError, KafkaError } from '../errors.js';
import { messages } from '../messages.js';
import { saslIdentity } from './client.js';

export type KafkaErrorCode = Extract<ErrorCode, 'broker-unreachable' | 'broker-timeout' | 'broker-busy' | 'broker-refused' | 'broker-auth' | 'kafka-failed'>;

/** kafkajs error class names (error.name) → code. Names not listed fall through to the other tables. */
const BY_NAME: Readonly<Record<string, KafkaErrorCode>> = {
  KafkaJSConnectionError: 'broker-unreachable',
  KafkaJSConnectionClosedError: 'broker-unreachable',
  KafkaJSBrokerNotFound: 'broker-unreachable',
  KafkaJSNoBrokerAvailableError: 'broker-unreachable',
  KafkaJSRequestTimeoutError: 'broker-timeout',
  KafkaJSTimeout: 'broker-timeout',
  KafkaJSLockTimeout: 'broker-timeout',
  KafkaJSMetadataNotLoaded: 'broker-busy',
  KafkaJSTopicMetadataNotLoaded: 'broker-busy',
  KafkaJSStaleTopicMetadataAssignment: 'broker-busy',
  KafkaJSGroupCoordinatorNotFound: 'broker-busy',
  KafkaJSSASLAuthenticationError: 'broker-auth',
};

/** @platformatic/kafka error codes (error.code) → code; its protocol errors go by their canRetry flag. */
const BY_PLATFORMATIC: Readonly<Record<string, KafkaErrorCode>> = {
  PLT_KFK_NETWORK: 'broker-unreachable',
  PLT_KFK_TIMEOUT: 'broker-timeout',
  PLT_KFK_AUTHENTICATION: 'broker-auth',
  PLT_KFK_UNSUPPORTED_API: 'broker-refused',
  PLT_KFK_UNSUPPORTED_COMPRESSION: 'kafka-failed',
};

/** Node socket and DNS errno codes → code. */
const BY_ERRNO: Readonly<Record<string, KafkaErrorCode>> = {
  ECONNREFUSED: 'broker-unreachable',
  ECONNRESET: 'broker-unreachable',
  ECONNABORTED: 'broker-unreachable',
  EPIPE: 'broker-unreachable',
  EHOSTUNREACH: 'broker-unreachable',
  EHOSTDOWN: 'broker-unreachable',
  ENETUNREACH: 'broker-unreachable',
  ENETDOWN: 'broker-unreachable',
  ENOTFOUND: 'broker-unreachable',
  EAI_AGAIN: 'broker-unreachable',
  ETIMEDOUT: 'broker-timeout',
};

/** The catalogue message of each code. */
const MESSAGE: Readonly<Record<KafkaErrorCode, (brokers: string, why: string) => string>> = {
  'broker-unreachable': messages.brokerUnreachable,
  'broker-timeout': messages.brokerTimeout,
  'broker-busy': messages.brokerBusy,
  'broker-refused': messages.brokerRefused,
  'broker-auth': messages.brokerAuth,
  'kafka-failed': messages.kafkaFailed,
};

interface Failure {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly canRetry?: unknown;
  readonly broker?: unknown;
  /** A socket error's peer (Node's errno errors), for a client that does not name the broker itself. */
  readonly address?: unknown;
  readonly port?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

const asFailure = (e: unknown): Failure | undefined => (typeof e === 'object' && e !== null ? e : undefined);
const isKafkaJs = (f: Failure): boolean => typeof f.name === 'string' && f.name.startsWith('KafkaJS');
const isPlatformatic = (f: Failure): boolean => typeof f.code === 'string' && f.code.startsWith('PLT_KFK_');

/** The errors along the cause chain, outermost first (an aggregate contributes its first error). */
function chain(e: unknown): Failure[] {
  const out: Failure[] = [];
  for (let f = asFailure(e); f && out.length < 10 && !out.includes(f); ) {
    out.push(f);
    const inner: unknown = f.cause ?? (Array.isArray(f.errors) ? f.errors[0] : undefined);
    f = asFailure(inner);
  }
  return out;
}

function codeOf(f: Failure): KafkaErrorCode | undefined {
  if (typeof f.name === 'string' && Object.hasOwn(BY_NAME, f.name)) return BY_NAME[f.name];
  if (typeof f.code === 'string' && Object.hasOwn(BY_PLATFORMATIC, f.code)) return BY_PLATFORMATIC[f.code];
  if (typeof f.code === 'string' && Object.hasOwn(BY_ERRNO, f.code)) return BY_ERRNO[f.code];
  if (isKafkaJs(f) && typeof f.type === 'string') return f.retriable === true ? 'broker-busy' : 'broker-refused';
  if (f.code === 'PLT_KFK_PROTOCOL') return f.canRetry === true ? 'broker-busy' : 'broker-refused';
  return undefined;
}

/** The code of a Kafka client or network failure; undefined for anything else (our own errors, bugs). */
export function kafkaErrorCode(e: unknown): KafkaErrorCode | undefined {
  if (isWindowpaneError(e)) return undefined;
  const links = chain(e);
  for (const f of links) {
    const code = codeOf(f);
    if (code) return code;
  }
  return links.some((f) => isKafkaJs(f) || isPlatformatic(f)) ? 'kafka-failed' : undefined;
}

/** What a Kafka call was about: the brokers as the user knows them, the topic, the partition. */
export interface KafkaAt {
  /** host:port list, or words such as "the sink's Kafka cluster"; else the broker the error names. */
  readonly brokers?: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
}

const SOME_BROKER = '(the configured brokers)';

/**
 * The broker a failure names (kafkajs), else the peer of a socket error under it (host:port), looked
 * for through every error an aggregate holds: a client's retries collect a closed connection first
 * and the refused reconnections after it.
 */
function brokerOf(e: unknown): string | undefined {
  const told = chain(e).find((f) => typeof f.broker === 'string')?.broker;
  if (typeof told === 'string') return told;
  const seen = new Set<Failure>();
  const queue = [asFailure(e)];
  while (queue.length > 0 && seen.size < 50) {
    const f = queue.shift();
    if (!f || seen.has(f)) continue;
    seen.add(f);
    if (typeof f.address === 'string' && typeof f.port === 'number') return `${f.address}:${f.port}`;
    queue.push(asFailure(f.cause), ...(Array.isArray(f.errors) ? f.errors.map(asFailure) : []));
  }
  return undefined;
}

/** A KafkaError for a Kafka client or network failure; anything else is returned unchanged. */
export function toKafkaError(e: unknown, at: KafkaAt = {}): unknown {
  const code = kafkaErrorCode(e);
  if (!code) return e;
  const named = brokerOf(e);
  const brokers = at.brokers ?? named ?? SOME_BROKER;
  const why = e instanceof Error ? e.message : String(e);
  const context = Object.fromEntries(Object.entries({ broker: named ?? at.brokers, topic: at.topic, partition: at.partition, offset: at.offset }).filter(([, v]) => v !== undefined));
  const message = code === 'broker-auth' ? messages.brokerAuth(brokers, why, saslIdentity(named ?? at.brokers ?? '')) : MESSAGE[code](brokers, why);
  return new KafkaError(code, message, { cause: e, context });
}
