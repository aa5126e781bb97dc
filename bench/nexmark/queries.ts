/**
 * Nexmark q0, q1, q2, q5, q7 and q8 over the one-topic layout (see encode.ts), written in
 * Windowpane's SQL (DuckDB's dialect plus TUMBLE/HOP in FROM). Where the engine cannot take a query
 * as the benchmark defines it, the suite reports the engine's own error for it; `rewrite` is an
 * equivalent formulation the engine can run, reported as such.
 */
export interface NexmarkQuery {
  readonly id: string;
  readonly name: string;
  /** The query as defined by the benchmark (Flink SQL), adapted to the source name and columns. */
  readonly sql: string;
  readonly rewrite?: { readonly sql: string; readonly why: string };
  /** No window: runs as a stateless pipeline writing every result record to a Kafka topic. */
  readonly stateless?: true;
}

/** Published per-core throughput of Flink 1.13 on Nexmark (see FLINK_REFERENCE_SOURCE). */
export const FLINK_PER_CORE: Readonly<Record<string, string>> = {
  q0: '155.02 K/s', q1: '157.94 K/s', q2: '175.21 K/s', q5: '22.14 K/s', q7: '12.33 K/s', q8: '146.14 K/s',
};

export const FLINK_REFERENCE_SOURCE =
  'Published Flink figures: the "Benchmark Results" table of the nexmark/nexmark project README (github.com/nexmark/nexmark): Flink 1.13, 8 TaskManagers with one slot each on 3 worker machines of 8 cores, 100 million events from the built-in datagen source (not Kafka), throughput divided by the cores measured in use.';

const BIDS = `event_type = 2`;

export const NEXMARK_QUERIES: readonly NexmarkQuery[] = [
  {
    id: 'q0', name: 'pass-through', stateless: true,
    sql: `SELECT bid.auction, bid.bidder, bid.price, dateTime, bid.extra FROM nexmark WHERE ${BIDS}`,
  },
  {
    id: 'q1', name: 'currency conversion', stateless: true,
    sql: `SELECT bid.auction, bid.bidder, 0.908 * bid.price AS price, dateTime, bid.extra FROM nexmark WHERE ${BIDS}`,
  },
  {
    id: 'q2', name: 'selection', stateless: true,
    sql: `SELECT bid.auction, bid.price FROM nexmark WHERE ${BIDS} AND bid.auction % 123 = 0`,
  },
  {
    id: 'q5', name: 'hot items (hopping window)',
    sql: `SELECT window_start, window_end, bid.auction AS auction, count(*) AS num FROM HOP(nexmark, dateTime, '2 seconds', '10 seconds') WHERE ${BIDS} GROUP BY window_start, window_end, bid.auction QUALIFY num = max(num) OVER (PARTITION BY window_start, window_end)`,
  },
  {
    id: 'q7', name: 'highest bid (tumbling window)',
    sql: `SELECT window_start, window_end, arg_max(bid.auction, bid.price) AS auction, max(bid.price) AS price, arg_max(bid.bidder, bid.price) AS bidder FROM TUMBLE(nexmark, dateTime, '10 seconds') WHERE ${BIDS} GROUP BY window_start, window_end`,
  },
  {
    id: 'q8', name: 'new users (window join)',
    sql: `SELECT P.id, P.name, P.starttime FROM (SELECT person.id AS id, person.name AS name, window_start AS starttime, window_end AS endtime FROM TUMBLE(nexmark, dateTime, '10 seconds') WHERE event_type = 0 GROUP BY ALL) P JOIN (SELECT auction.seller AS seller, window_start AS starttime, window_end AS endtime FROM TUMBLE(nexmark, dateTime, '10 seconds') WHERE event_type = 1 GROUP BY ALL) A ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime`,
    rewrite: {
      why: 'the window join expressed as one grouped aggregate over the shared topic: a person id qualifies in a window when the window holds both its person event and an auction it sells',
      sql: `SELECT window_start, window_end, coalesce(person.id, auction.seller) AS id, any_value(person.name) FILTER (WHERE event_type = 0) AS name FROM TUMBLE(nexmark, dateTime, '10 seconds') WHERE event_type IN (0, 1) GROUP BY window_start, window_end, coalesce(person.id, auction.seller) HAVING count(*) FILTER (WHERE event_type = 0) > 0 AND count(*) FILTER (WHERE event_type = 1) > 0`,
    },
  },
];
