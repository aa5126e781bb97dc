import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEvent } from '../../../bench/nexmark/encode.js';
import { NexmarkGenerator, FIRST_AUCTION_ID, FIRST_PERSON_ID } from '../../../bench/nexmark/generator.js';

test('the same seed gives the same events; another seed gives others', () => {
  const a = [...new NexmarkGenerator({ seed: 7 }).events(0, 500)].map(encodeEvent);
  const b = [...new NexmarkGenerator({ seed: 7 }).events(0, 500)].map(encodeEvent);
  const c = [...new NexmarkGenerator({ seed: 8 }).events(0, 500)].map(encodeEvent);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  // an event depends only on (seed, id): a range generated on its own matches
  assert.deepEqual([...new NexmarkGenerator({ seed: 7 }).events(250, 260)].map(encodeEvent), a.slice(250, 260));
});

test('persons, auctions and bids come in the proportions 1:3:46', () => {
  const gen = new NexmarkGenerator({ seed: 1 });
  const n = 50_000;
  const counts = { person: 0, auction: 0, bid: 0 };
  for (const e of gen.events(0, n)) counts[e.kind]++;
  assert.deepEqual(counts, { person: 1000, auction: 3000, bid: 46_000 });
});

test('event times advance at the configured rate; ids follow the reference arithmetic', () => {
  const gen = new NexmarkGenerator({ seed: 3, baseTime: 1_000_000, firstEventRate: 10_000 });
  assert.equal(gen.timestamp(0), 1_000_000);
  assert.equal(gen.timestamp(10_000), 1_001_000);
  const events = [...gen.events(0, 200)];
  const persons = events.flatMap((e) => (e.kind === 'person' ? [e.person.id] : []));
  const auctions = events.flatMap((e) => (e.kind === 'auction' ? [e.auction.id] : []));
  assert.deepEqual(persons, [FIRST_PERSON_ID, FIRST_PERSON_ID + 1, FIRST_PERSON_ID + 2, FIRST_PERSON_ID + 3]);
  assert.deepEqual(auctions, Array.from({ length: 12 }, (_, i) => FIRST_AUCTION_ID + i));
  for (const e of events) {
    if (e.kind !== 'bid') continue;
    assert.ok(e.bid.price >= 100 && e.bid.price <= 100_000_000, `price ${e.bid.price}`);
    assert.ok(e.bid.auction >= FIRST_AUCTION_ID && e.bid.bidder >= FIRST_PERSON_ID);
  }
});

test('records are JSON in the Flink Nexmark layout with a top-level event time', () => {
  const gen = new NexmarkGenerator({ seed: 5, baseTime: Date.UTC(2026, 0, 1) });
  const bid = JSON.parse(encodeEvent(gen.event(10))) as { event_type: number; dateTime: string; bid: { dateTime: string; price: number } };
  assert.equal(bid.event_type, 2);
  assert.equal(bid.dateTime, '2026-01-01 00:00:00.001');
  assert.equal(bid.bid.dateTime, bid.dateTime);
  const person = JSON.parse(encodeEvent(gen.event(0))) as { event_type: number; person: { name: string } };
  assert.equal(person.event_type, 0);
  assert.match(person.person.name, /^\w+ \w+$/);
});
