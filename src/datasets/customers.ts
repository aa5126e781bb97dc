/**
 * Customer 360 (generated, seeded): a customer table (segment, city, signup date, lifetime value)
 * and their activity — views, add-to-carts and purchases on web, app and in store. History holds
 * the past days of activity; the live part is today's, replayed into Kafka.
 */
import { join } from 'node:path';
import { cachedDataset, loadRows, copyToParquet, type Cell } from './files.js';
import { Random, round } from './random.js';
import { DAY, HOUR, writeSplit } from './split.js';
import type { SplitDataset } from './types.js';

export interface CustomersOptions {
  readonly customers?: number;
  readonly historyDays?: number;
  readonly liveHours?: number;
  readonly seed?: number;
  readonly dir?: string;
}

export interface CustomersDataset extends SplitDataset {
  /** customers.parquet: customer_id, name, segment, city, signup_date, lifetime_value. */
  readonly customers: string;
}

const FIRST = ['Ada', 'Ben', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kemal', 'Lena', 'Mia', 'Noor', 'Omar', 'Pia'];
const LAST = ['Ng', 'Silva', 'Okafor', 'Berg', 'Rossi', 'Kim', 'Novak', 'Haddad', 'Moreau', 'Sato', 'Lund', 'Costa'];
const CITIES = ['Lisbon', 'Berlin', 'Austin', 'Osaka', 'Lagos', 'Toronto'];
const CHANNELS = ['web', 'web', 'app', 'app', 'app', 'store'];
const START = Date.parse('2026-04-06T00:00:00Z');

export async function customers(options: CustomersOptions = {}): Promise<CustomersDataset> {
  const n = options.customers ?? 300;
  const historyDays = options.historyDays ?? 14;
  const liveHours = options.liveHours ?? 6;
  const seed = options.seed ?? 23;
  const split = START + historyDays * DAY;
  const end = split + liveHours * HOUR;
  const folder = await cachedDataset('customers', { n, historyDays, liveHours, seed }, options.dir, async (conn, dir) => {
    const rnd = new Random(seed);
    const people: Cell[][] = [];
    const activity: Cell[][] = [];
    for (let c = 0; c < n; c++) {
      const id = `cust-${String(c).padStart(5, '0')}`;
      // 1. the profile: VIPs visit more often and spend more
      const tier = rnd.next();
      const segment = tier < 0.1 ? 'vip' : tier < 0.6 ? 'regular' : 'new';
      const visitsPerDay = segment === 'vip' ? 6 : segment === 'regular' ? 2 : 0.7;
      const basket = segment === 'vip' ? 120 : segment === 'regular' ? 45 : 30;
      const signup = START - rnd.int(segment === 'new' ? 1 : 60, segment === 'new' ? 60 : 1500) * DAY;
      people.push([id, `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`, segment, rnd.pick(CITIES), signup, round(basket * visitsPerDay * 30 * (0.5 + rnd.next()))]);
      // 2. sessions: a few views, sometimes a cart, sometimes a purchase
      for (let t = START + rnd.exponential(DAY / visitsPerDay); t < end; t += rnd.exponential(DAY / visitsPerDay)) {
        const channel = rnd.pick(CHANNELS);
        let s = t;
        for (let v = rnd.int(1, 6); v > 0; v--, s += rnd.exponential(40_000)) activity.push([Math.floor(s), id, 'view', null, channel]);
        if (rnd.chance(0.35)) {
          s += rnd.exponential(60_000);
          activity.push([Math.floor(s), id, 'cart', null, channel]);
          if (rnd.chance(0.6)) activity.push([Math.floor(s + rnd.exponential(90_000)), id, 'purchase', round(basket * Math.exp(rnd.normal(0, 0.4))), channel]);
        }
      }
    }
    await loadRows(conn, 'customers', { columns: { customer_id: 'VARCHAR', name: 'VARCHAR', segment: 'VARCHAR', city: 'VARCHAR', signup_date: 'TIMESTAMP', lifetime_value: 'DOUBLE' }, rows: people });
    await copyToParquet(conn, 'SELECT * FROM customers ORDER BY customer_id', join(dir, 'customers.parquet'));
    const columns = { ts: 'TIMESTAMP', customer_id: 'VARCHAR', event: 'VARCHAR', amount: 'DOUBLE', channel: 'VARCHAR' } as const;
    await writeSplit(conn, dir, 'activity', { columns, rows: activity.filter((r) => (r[0] as number) < end) }, 'ts', split, ['ts', 'customer_id', 'event']);
  });
  return { history: join(folder, 'history.parquet'), live: join(folder, 'live.parquet'), customers: join(folder, 'customers.parquet'), split: new Date(split).toISOString(), time: 'ts' };
}
