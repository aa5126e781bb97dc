/**
 * Nexmark q0, q1, q2, q5, q7 and q8 over the one-topic layout (see encode.ts), written in
 * Windowpane's SQL (DuckDB's dialect plus TUMBLE/HOP in FROM). Where the engine cannot take a query
 * as the benchmark defines it, the suite reports the engine's own error for it; `rewrite` is an
 * equivalent formulation the engine can run, reported as such. A query may add sources of its own
 * over the Nexmark source (q8's window join is an interval join of persons and auctions).
 */
import { from, intervalJoin, type Source } from '../../src/index.js';

export interface NexmarkQuery {
  readonly id: string;
  readonly name: string;
  /** The query as defined by the benchmark (Flink SQL), adapted to the source name and columns. */
  readonly sql: string;
  readonly rewrite?: { readonly sql: string; readonly why: string };
  /** No window: runs as a stateless pipeline writing every result record to a Kafka topic. */
  readonly stateless?: true;
  /** Sources the SQL reads besides `nexmark`, built over it; `how` says what they are. */
  readonly sources?: { readonly build: (nexmark: Source) => Readonly<Record<string, Source>>; readonly how: string };
}

const WINDOW_MS = 10_000;

/**
 * q8's window join: a person and an auction it sells match when both fall in the same 10-second
 * tumbling window. As an interval join: the bounds (±10 s) bound what each side keeps; the window
 * condition makes the match exact. The joined stream (time = the person's) is then windowed.
 */
function newUsers(nexmark: Source): Readonly<Record<string, Source>> {
  const persons = from(nexmark).filter('event_type = 0').select({ dateTime: 'dateTime', id: 'person.id', name: 'person.name' });
  const auctions = from(nexmark).filter('event_type = 1').select({ dateTime: 'dateTime', seller: 'auction.seller' });
  const sameWindow = `epoch_ms(a.dateTime) // ${WINDOW_MS} = epoch_ms(b.dateTime) // ${WINDOW_MS}`;
  return { new_users: intervalJoin(persons, auctions, { on: `a.id = b.seller AND ${sameWindow}`, lower: -WINDOW_MS, upper: WINDOW_MS, name: 'new_users' }) };
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
    sql: `SELECT window_start, window_end, id, name FROM TUMBLE(new_users, dateTime, '10 seconds') GROUP BY ALL`,
    sources: {
      build: newUsers,
      how: 'new_users = intervalJoin(persons, auctions, { on: a.id = b.seller and both in the same 10-second window, lower: -10 s, upper: +10 s }), persons and auctions being the Nexmark source filtered by event_type; each input reads the topic itself',
    },
  },
];

/**
 * q5, q7 and q8 as both engines run them (engine 'flink' refuses QUALIFY, OVER, arg_max, GROUP BY ALL
 * and DuckDB's integer division): the windowed aggregation each is built on, the same SQL on both.
 */
export const PORTABLE_QUERIES: readonly (NexmarkQuery & { readonly differs: string })[] = [
  {
    id: 'q5', name: 'hot items: bids per auction (hopping window)',
    sql: `SELECT window_start, window_end, bid.auction AS auction, count(*) AS num FROM HOP(nexmark, dateTime, '2 seconds', '10 seconds') WHERE ${BIDS} GROUP BY window_start, window_end, bid.auction`,
    differs: 'the count per auction and window, without keeping only the top auction per window (QUALIFY ... OVER)',
  },
  {
    id: 'q7', name: 'highest bid price (tumbling window)',
    sql: `SELECT window_start, window_end, max(bid.price) AS price FROM TUMBLE(nexmark, dateTime, '10 seconds') WHERE ${BIDS} GROUP BY window_start, window_end`,
    differs: 'the highest price per window, without the auction and bidder that bid it (arg_max)',
  },
  {
    id: 'q8', name: 'new users (interval join, tumbling window)',
    sql: `SELECT window_start, window_end, id, name FROM TUMBLE(new_users, dateTime, '10 seconds') GROUP BY window_start, window_end, id, name`,
    sources: {
      build: (nexmark) => {
        const persons = from(nexmark).filter('event_type = 0').select({ dateTime: 'dateTime', id: 'person.id', name: 'person.name' });
        const auctions = from(nexmark).filter('event_type = 1').select({ dateTime: 'dateTime', seller: 'auction.seller' });
        return { new_users: intervalJoin(persons, auctions, { on: 'a.id = b.seller', lower: -WINDOW_MS, upper: WINDOW_MS, name: 'new_users' }) };
      },
      how: 'new_users = intervalJoin(persons, auctions, { on: a.id = b.seller, lower: -10 s, upper: +10 s })',
    },
    differs: 'persons matched with auctions they sell within ±10 s, without the same-window condition (it needs integer division)',
  },
];
