/**
 * The Nexmark entities and how each is synthesized, after the reference generator (Apache Beam's
 * Nexmark, as used by the nexmark/nexmark Flink benchmark): the same id arithmetic, hot
 * sellers/auctions/bidders, price distribution, string lengths and padding to average sizes.
 */
import type { EventRandom } from './random.js';

export interface Person {
  readonly id: number;
  readonly name: string;
  readonly emailAddress: string;
  readonly creditCard: string;
  readonly city: string;
  readonly state: string;
  readonly dateTime: number;
  readonly extra: string;
}

export interface Auction {
  readonly id: number;
  readonly itemName: string;
  readonly description: string;
  readonly initialBid: number;
  readonly reserve: number;
  readonly dateTime: number;
  readonly expires: number;
  readonly seller: number;
  readonly category: number;
  readonly extra: string;
}

export interface Bid {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly url: string;
  readonly dateTime: number;
  readonly extra: string;
}

export type NexmarkEvent =
  | { readonly kind: 'person'; readonly person: Person }
  | { readonly kind: 'auction'; readonly auction: Auction }
  | { readonly kind: 'bid'; readonly bid: Bid };

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
const MIN_STRING_LENGTH = 3;

function pick<T>(r: EventRandom, from: readonly T[]): T {
  return from[r.nextInt(from.length)]!;
}

/** Lowercase letters with occasional spaces, 3 to maxLength-1 long, trimmed. */
export function nextString(r: EventRandom, maxLength: number): string {
  let len = MIN_STRING_LENGTH + r.nextInt(maxLength - MIN_STRING_LENGTH);
  let s = '';
  while (len-- > 0) s += r.nextInt(13) === 0 ? ' ' : String.fromCharCode(97 + r.nextInt(26));
  return s.trim();
}

function exactString(r: EventRandom, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(97 + r.nextInt(26));
  return s;
}

/** Padding so that the entity's size averages `average` bytes (±20 %). */
export function nextExtra(r: EventRandom, currentSize: number, average: number): string {
  if (currentSize > average) return '';
  const want = average - currentSize;
  const delta = Math.round(want * 0.2);
  return exactString(r, want - delta + (delta === 0 ? 0 : r.nextInt(2 * delta)));
}

/** Prices: log-uniform between 1 and 10^6 dollars, in cents. */
export function nextPrice(r: EventRandom): number {
  return Math.round(Math.pow(10, r.nextDouble() * 6) * 100);
}

export function makePerson(r: EventRandom, id: number, dateTime: number, avgSize: number): Person {
  const name = `${pick(r, FIRST_NAMES)} ${pick(r, LAST_NAMES)}`;
  const emailAddress = `${nextString(r, 7)}@${nextString(r, 5)}.com`;
  const creditCard = [0, 1, 2, 3].map(() => String(r.nextInt(10000)).padStart(4, '0')).join(' ');
  const city = pick(r, US_CITIES);
  const state = pick(r, US_STATES);
  const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
  return { id, name, emailAddress, creditCard, city, state, dateTime, extra: nextExtra(r, size, avgSize) };
}

export function makeAuction(r: EventRandom, a: { id: number; seller: number; category: number; dateTime: number; lengthMs: number }, avgSize: number): Auction {
  const initialBid = nextPrice(r);
  const itemName = nextString(r, 20);
  const description = nextString(r, 100);
  const reserve = initialBid + nextPrice(r);
  const size = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
  return { id: a.id, itemName, description, initialBid, reserve, dateTime: a.dateTime, expires: a.dateTime + a.lengthMs, seller: a.seller, category: a.category, extra: nextExtra(r, size, avgSize) };
}

function channelUrl(r: EventRandom, channelId: number): string {
  const base = `https://www.nexmark.com/${nextString(r, 5)}/${nextString(r, 5)}/${nextString(r, 5)}/item.htm?query=1`;
  return r.nextInt(10) > 0 ? `${base}&channel_id=${channelId}` : base;
}

export function makeBid(r: EventRandom, b: { auction: number; bidder: number; dateTime: number }, avgSize: number): Bid {
  const price = nextPrice(r);
  // half the bids come from one of four hot channels, the rest from 10,000 others
  let channel: string;
  let url: string;
  if (r.nextInt(2) > 0) {
    const i = r.nextInt(HOT_CHANNELS.length);
    channel = HOT_CHANNELS[i]!;
    url = `https://www.nexmark.com/hot/${channel.toLowerCase()}/item.htm?query=1`;
  } else {
    const id = r.nextInt(10_000);
    channel = `channel-${id}`;
    url = channelUrl(r, id);
  }
  return { auction: b.auction, bidder: b.bidder, price, channel, url, dateTime: b.dateTime, extra: nextExtra(r, 8 + 8 + 8 + 8, avgSize) };
}
