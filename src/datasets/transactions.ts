/**
 * Card transactions (generated, seeded): each card has a home country, a usual amount and a usual
 * number of purchases per day; a few cards are hit by fraud bursts — a dozen large purchases
 * abroad within minutes. `fraud_label` is the ground truth, for checking an alert rule.
 */
import { join } from 'node:path';
import { cachedDataset, type Cell } from './files.js';
import { Random, round } from './random.js';
import { DAY, HOUR, writeSplit } from './split.js';
import type { SplitDataset } from './types.js';

export interface TransactionsOptions {
  readonly cards?: number;
  readonly historyDays?: number;
  readonly liveHours?: number;
  /** Cards with a fraud burst in the live part (default 3). */
  readonly frauds?: number;
  readonly seed?: number;
  readonly dir?: string;
}

const COUNTRIES = ['US', 'US', 'US', 'US', 'CA', 'GB', 'DE', 'FR'];
const ABROAD = ['BR', 'NG', 'RO', 'VN', 'RU', 'ID'];
const MERCHANTS = ['grocery', 'fuel', 'restaurant', 'pharmacy', 'clothing', 'online', 'travel', 'coffee'];
const FRAUD_MERCHANTS = ['electronics', 'gift cards', 'jewelry'];
const START = Date.parse('2026-01-05T00:00:00Z');

export async function transactions(options: TransactionsOptions = {}): Promise<SplitDataset> {
  const cards = options.cards ?? 200;
  const historyDays = options.historyDays ?? 7;
  const liveHours = options.liveHours ?? 6;
  const frauds = options.frauds ?? 3;
  const seed = options.seed ?? 7;
  const split = START + historyDays * DAY;
  const end = split + liveHours * HOUR;
  const folder = await cachedDataset('transactions', { cards, historyDays, liveHours, frauds, seed }, options.dir, async (conn, dir) => {
    const rnd = new Random(seed);
    const rows: Cell[][] = [];
    const fraudCards = new Set<number>();
    while (fraudCards.size < Math.min(frauds, cards)) fraudCards.add(rnd.int(0, cards - 1));
    for (let c = 0; c < cards; c++) {
      const card = `card-${String(c).padStart(4, '0')}`;
      const home = rnd.pick(COUNTRIES);
      const usual = Math.exp(rnd.normal(3.4, 0.5));
      const perDay = rnd.int(1, 8);
      // 1. ordinary purchases: a Poisson process over the whole period
      for (let t = START + rnd.exponential(DAY / perDay); t < end; t += rnd.exponential(DAY / perDay)) {
        rows.push([Math.floor(t), card, round(usual * Math.exp(rnd.normal(0, 0.5))), rnd.pick(MERCHANTS), home, false]);
      }
      // 2. a fraud burst somewhere in the live part
      if (fraudCards.has(c)) {
        const country = rnd.pick(ABROAD);
        let t = split + rnd.next() * (end - split - HOUR);
        for (let i = rnd.int(8, 14); i > 0; i--, t += rnd.exponential(45_000)) rows.push([Math.floor(t), card, round(150 + rnd.next() * 750), rnd.pick(FRAUD_MERCHANTS), country, true]);
      }
    }
    const columns = { ts: 'TIMESTAMP', card_id: 'VARCHAR', amount: 'DOUBLE', merchant: 'VARCHAR', country: 'VARCHAR', fraud_label: 'BOOLEAN' } as const;
    await writeSplit(conn, dir, 'transactions', { columns, rows }, 'ts', split, ['ts', 'card_id']);
  });
  return { history: join(folder, 'history.parquet'), live: join(folder, 'live.parquet'), split: new Date(split).toISOString(), time: 'ts' };
}
