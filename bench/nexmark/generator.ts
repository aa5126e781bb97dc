/**
 * The Nexmark event generator: event i is a person, an auction or a bid by the proportions
 * 1:3:46 (i mod 50), its event time is baseTime + i / firstEventRate, and its content depends only
 * on (seed, i) — so any range of events can be generated on its own, in any order.
 * Defaults are the reference ones (Apache Beam's NexmarkConfiguration).
 */
import { makeAuction, makeBid, makePerson, type NexmarkEvent } from './model.js';
import { EventRandom } from './random.js';

export interface NexmarkConfig {
  readonly seed: number;
  /** Event time of event 0, epoch ms. */
  readonly baseTime: number;
  /** Events per second of event time. */
  readonly firstEventRate: number;
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  readonly numActivePeople: number;
  readonly numInFlightAuctions: number;
  readonly hotSellersRatio: number;
  readonly hotAuctionRatio: number;
  readonly hotBiddersRatio: number;
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
}

export const DEFAULT_CONFIG: NexmarkConfig = {
  seed: 42,
  baseTime: Date.UTC(2026, 0, 1),
  firstEventRate: 10_000,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  numActivePeople: 1000,
  numInFlightAuctions: 100,
  hotSellersRatio: 4,
  hotAuctionRatio: 2,
  hotBiddersRatio: 4,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
};

export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
const NUM_CATEGORIES = 5;
const PERSON_ID_LEAD = 10;
const AUCTION_ID_LEAD = 10;
const HOT_RATIO = 100;

export class NexmarkGenerator {
  readonly config: NexmarkConfig;
  private readonly total: number;

  constructor(config: Partial<NexmarkConfig> = {}) {
    this.config = { ...DEFAULT_CONFIG, ...config };
    this.total = this.config.personProportion + this.config.auctionProportion + this.config.bidProportion;
  }

  /** Event time of event `i`, epoch ms. */
  timestamp(i: number): number {
    return this.config.baseTime + Math.floor((i * 1_000_000) / this.config.firstEventRate / 1000);
  }

  /** The last person id (base 0) that exists when event `i` is generated. */
  lastPersonId(i: number): number {
    const c = this.config;
    const epoch = Math.floor(i / this.total);
    const offset = Math.min(i % this.total, c.personProportion - 1);
    return epoch * c.personProportion + offset;
  }

  /** The last auction id (base 0) that exists when event `i` is generated. */
  lastAuctionId(i: number): number {
    const c = this.config;
    let epoch = Math.floor(i / this.total);
    let offset = i % this.total;
    if (offset < c.personProportion) {
      epoch--;
      offset = c.auctionProportion - 1;
    } else if (offset >= c.personProportion + c.auctionProportion) offset = c.auctionProportion - 1;
    else offset -= c.personProportion;
    return epoch * c.auctionProportion + offset;
  }

  private randomPerson(r: EventRandom, i: number): number {
    const people = this.lastPersonId(i) + 1;
    const active = Math.min(people, this.config.numActivePeople);
    return people - active + r.nextInt(active + PERSON_ID_LEAD);
  }

  private randomAuction(r: EventRandom, i: number): number {
    const max = this.lastAuctionId(i);
    const min = Math.max(max - this.config.numInFlightAuctions, 0);
    return min + r.nextInt(max - min + 1 + AUCTION_ID_LEAD);
  }

  /** The kind of event `i`, by the proportions. */
  kindOf(i: number): NexmarkEvent['kind'] {
    const rem = i % this.total;
    if (rem < this.config.personProportion) return 'person';
    return rem < this.config.personProportion + this.config.auctionProportion ? 'auction' : 'bid';
  }

  /** Event number `i` (from 0). */
  event(i: number): NexmarkEvent {
    const c = this.config;
    const r = new EventRandom(c.seed, i);
    const dateTime = this.timestamp(i);
    switch (this.kindOf(i)) {
      case 'person':
        return { kind: 'person', person: makePerson(r, this.lastPersonId(i) + FIRST_PERSON_ID, dateTime, c.avgPersonByteSize) };
      case 'auction': {
        const seller = r.nextInt(c.hotSellersRatio) > 0 ? Math.floor(this.lastPersonId(i) / HOT_RATIO) * HOT_RATIO : this.randomPerson(r, i);
        const category = FIRST_CATEGORY_ID + r.nextInt(NUM_CATEGORIES);
        // auctions last, on average, until numInFlightAuctions more auctions have been created
        const horizonMs = this.timestamp(i + Math.floor((c.numInFlightAuctions * this.total) / c.auctionProportion)) - dateTime;
        const lengthMs = 1 + r.nextInt(Math.max(horizonMs * 2, 1));
        const id = this.lastAuctionId(i) + FIRST_AUCTION_ID;
        return { kind: 'auction', auction: makeAuction(r, { id, seller: seller + FIRST_PERSON_ID, category, dateTime, lengthMs }, c.avgAuctionByteSize) };
      }
      case 'bid': {
        const auction = r.nextInt(c.hotAuctionRatio) > 0 ? Math.floor(this.lastAuctionId(i) / HOT_RATIO) * HOT_RATIO : this.randomAuction(r, i);
        const bidder = r.nextInt(c.hotBiddersRatio) > 0 ? Math.floor(this.lastPersonId(i) / HOT_RATIO) * HOT_RATIO + 1 : this.randomPerson(r, i);
        return { kind: 'bid', bid: makeBid(r, { auction: auction + FIRST_AUCTION_ID, bidder: bidder + FIRST_PERSON_ID, dateTime }, c.avgBidByteSize) };
      }
    }
  }

  /** Events from..to (exclusive). */
  *events(from: number, to: number): Generator<NexmarkEvent> {
    for (let i = from; i < to; i++) yield this.event(i);
  }
}
