/**
 * The read path's Kafka client: @platformatic/kafka's connections (TLS, SASL) and request framing,
 * with our own Fetch response parser that hands each partition's record bytes to the column decoder
 * (recordDecoder.ts) instead of building an object per record. No consumer group: the reader asks
 * the leaders of the partitions it was given for exactly the offsets it wants.
 */
import { ConnectionPool, createAPI, fetchV12, metadataV12, ResponseError, type Broker, type Connection, type Reader, type SASLOptions } from '@platformatic/kafka';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { KafkaSettings } from '../config/settings.js';
import type { Aborted } from './recordDecoder.js';

/** One partition's part of a fetch response: its error code, high watermark and record bytes. */
export interface FetchedPartition {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly aborted: readonly Aborted[];
  readonly data: Buffer | undefined;
}

/** Where each partition of a topic is led, by broker address. */
export interface TopicLayout {
  readonly leaders: ReadonlyMap<number, Broker>;
}

const READ_COMMITTED = 1;

function parseFetch(_correlationId: number, apiKey: number, apiVersion: number, reader: Reader): FetchedPartition[] {
  const errors: [string, [number, null]][] = [];
  reader.readInt32(); // throttle time
  const errorCode = reader.readInt16();
  if (errorCode !== 0) errors.push(['/', [errorCode, null]]);
  reader.readInt32(); // session id
  const out: FetchedPartition[] = [];
  reader.readArray((r) => {
    r.readString(); // topic: one per request
    r.readArray((p) => {
      const partition = p.readInt32();
      const code = p.readInt16();
      const highWatermark = Number(p.readInt64());
      p.readInt64(); // last stable offset
      p.readInt64(); // log start offset
      const aborted: Aborted[] = [];
      p.readArray((a) => void aborted.push({ producerId: a.readInt64(), firstOffset: a.readInt64() }));
      p.readInt32(); // preferred read replica
      const size = p.readUnsignedVarInt() - 1;
      let data: Buffer | undefined;
      if (size > 0) {
        data = p.buffer.slice(p.position, p.position + size);
        p.skip(size);
      }
      out.push({ partition, errorCode: code, highWatermark, aborted, data });
    });
  });
  // a request-level error fails the request; partition errors are the reader's to handle
  if (errors.length > 0) throw new ResponseError(apiKey, apiVersion, Object.fromEntries(errors), out);
  return out;
}

const fetchApi = createAPI<Parameters<typeof fetchV12.createRequest>, FetchedPartition[]>(1, 12, fetchV12.createRequest, parseFetch);

function parseBroker(hostPort: string): Broker {
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(i + 1)) };
}

function tlsOptions(ssl: KafkaSettings['ssl']): TlsOptions | undefined {
  if (ssl === undefined || ssl === false) return undefined;
  return ssl === true ? {} : (ssl);
}

function saslOptions(sasl: KafkaSettings['sasl']): SASLOptions | undefined {
  if (!sasl) return undefined;
  return { mechanism: sasl.mechanism.toUpperCase() as SASLOptions['mechanism'], ...(sasl.username !== undefined ? { username: sasl.username } : {}), ...(sasl.password !== undefined ? { password: sasl.password } : {}) };
}

/** @platformatic/kafka's connection options (timeouts, TLS, SASL) for our settings: the read and write paths' clients. */
export function connectionOptions(settings: KafkaSettings): { connectTimeout: number; requestTimeout: number; tls?: TlsOptions; sasl?: SASLOptions } {
  const tls = tlsOptions(settings.ssl);
  const sasl = saslOptions(settings.sasl);
  return {
    connectTimeout: settings.connectionTimeoutMs ?? 5000,
    requestTimeout: settings.requestTimeoutMs ?? 30_000,
    ...(tls ? { tls } : {}),
    ...(sasl ? { sasl } : {}),
  };
}

/** The read path's open clients, so that a lost network can be simulated for all of them at once. */
const open = new Set<FetchClient>();

/**
 * Closes every connection of every reader in this process, as a network failure or a broker
 * closing them would; the readers reconnect by themselves and resume at their own offsets. For
 * fault tests. Returns how many connections were closed.
 */
export function dropReaderConnections(): number {
  const all = [...open].flatMap((c) => c.connections());
  for (const conn of all) conn.socket.destroy();
  return all.length;
}

export class FetchClient {
  private readonly pool: ConnectionPool;
  private readonly bootstrap: Broker[];

  /** The bootstrap brokers as host:port, for messages. */
  readonly brokers: string;

  constructor(settings: KafkaSettings, brokers: readonly string[]) {
    this.bootstrap = brokers.map(parseBroker);
    this.brokers = brokers.join(',');
    this.pool = new ConnectionPool(settings.clientId, connectionOptions(settings));
    open.add(this);
  }

  /** The client's open connections. */
  connections(): Connection[] {
    return [...this.pool].map(([, conn]) => conn);
  }

  /** The leaders of the topic's partitions (a leaderless partition is left out: ask again later). */
  async layout(topic: string): Promise<TopicLayout> {
    const conn = await this.pool.getFirstAvailable(this.bootstrap);
    const meta = await metadataV12.api.async(conn, [topic], false, false);
    const brokers = new Map(meta.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
    const leaders = new Map<number, Broker>();
    for (const t of meta.topics) {
      for (const p of t.partitions) {
        const b = brokers.get(p.leaderId);
        if (p.errorCode === 0 && b) leaders.set(p.partitionIndex, b);
      }
    }
    return { leaders };
  }

  /**
   * One Fetch to `broker` for the partitions at their offsets; the broker answers once it holds
   * `wait.minBytes` of records for them, or after `wait.maxWaitMs`.
   */
  async fetch(broker: Broker, topic: string, partitions: readonly { partition: number; offset: number }[], wait: { readonly maxWaitMs: number; readonly minBytes: number }): Promise<FetchedPartition[]> {
    const conn: Connection = await this.pool.get(broker);
    const topics = [{ topicId: topic, partitions: partitions.map((p) => ({ partition: p.partition, currentLeaderEpoch: -1, fetchOffset: BigInt(p.offset), lastFetchedEpoch: -1, partitionMaxBytes: PARTITION_MAX_BYTES })) }];
    return fetchApi.async(conn, wait.maxWaitMs, wait.minBytes, MAX_BYTES, READ_COMMITTED, 0, -1, topics, [], '');
  }

  async close(): Promise<void> {
    open.delete(this);
    await this.pool.close();
  }
}

/** Bytes per partition and per response: a few MiB per fetch keeps the decoder's batches large. */
const PARTITION_MAX_BYTES = 4 * 2 ** 20;
const MAX_BYTES = 32 * 2 ** 20;
