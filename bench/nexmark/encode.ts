/**
 * Nexmark events as Kafka records, in the layout of the Flink Nexmark Kafka source: one topic,
 * a JSON object per event with event_type (0 person, 1 auction, 2 bid) and the entity under its
 * name, plus the event time at the top level (the column a Windowpane source declares as its time).
 */
import type { NexmarkEvent } from './model.js';

const EVENT_TYPE = { person: 0, auction: 1, bid: 2 } as const;

/** 'YYYY-MM-DD HH:MM:SS.sss' in UTC: what Flink's JSON format and DuckDB both read as TIMESTAMP. */
export function sqlTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function eventTime(e: NexmarkEvent): number {
  switch (e.kind) {
    case 'person': return e.person.dateTime;
    case 'auction': return e.auction.dateTime;
    case 'bid': return e.bid.dateTime;
  }
}

/** The record value: JSON text. */
export function encodeEvent(e: NexmarkEvent): string {
  const dateTime = sqlTimestamp(eventTime(e));
  switch (e.kind) {
    case 'person':
      return JSON.stringify({ event_type: EVENT_TYPE.person, dateTime, person: { ...e.person, dateTime } });
    case 'auction':
      return JSON.stringify({ event_type: EVENT_TYPE.auction, dateTime, auction: { ...e.auction, dateTime, expires: sqlTimestamp(e.auction.expires) } });
    case 'bid':
      return JSON.stringify({ event_type: EVENT_TYPE.bid, dateTime, bid: { ...e.bid, dateTime } });
  }
}

/** The DuckDB schema of a Windowpane source over the topic. */
export const NEXMARK_SCHEMA = {
  event_type: 'INTEGER',
  dateTime: 'TIMESTAMP',
  person: 'STRUCT(id BIGINT, "name" VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR, state VARCHAR, dateTime TIMESTAMP, extra VARCHAR)',
  auction: 'STRUCT(id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT, dateTime TIMESTAMP, expires TIMESTAMP, seller BIGINT, category BIGINT, extra VARCHAR)',
  bid: 'STRUCT(auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP, extra VARCHAR)',
} as const;
