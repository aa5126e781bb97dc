// Joins across the hand-off: orders enriched with a customer table, and orders joined with their payments.
import { DuckDBInstance } from '@duckdb/node-api';
import { from, intervalJoin, kafkaClient, source, sql, tumble } from 'windowpane';

const kafka = kafkaClient();
const [orders, payments] = ['orders', 'payments'].map((name) => `guide-${name}-${Date.now()}`);
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [orders!, payments!].map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
await admin.disconnect();
const producer = kafka.producer({ idempotent: true });
await producer.connect();
const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString();
const send = (topic: string, rows: object[]) => producer.send({ topic, messages: rows.map((r) => ({ value: JSON.stringify(r) })) });
// the backlogs: history for the queries
await send(orders!, [{ ts: at(0), id: 1, customer: 'ann', amount: 30 }, { ts: at(2), id: 2, customer: 'bob', amount: 20 }, { ts: at(4), id: 3, customer: 'cy', amount: 5 }]);
await send(payments!, [{ ts: at(3), id: 1, paid: 30 }]);

const orderStream = source({ name: 'orders', time: 'ts', maxOutOfOrderness: '1 minute', history: { kafkaBacklog: true }, live: { topic: orders! }, schema: { ts: 'TIMESTAMP', id: 'BIGINT', customer: 'VARCHAR', amount: 'DOUBLE' } });
const paymentStream = source({ name: 'payments', time: 'ts', maxOutOfOrderness: '1 minute', history: { kafkaBacklog: true }, live: { topic: payments! }, schema: { ts: 'TIMESTAMP', id: 'BIGINT', paid: 'DOUBLE' } });

// 1. Enrichment: a table in the query's DuckDB instance (from Parquet: CREATE TABLE customers AS SELECT * FROM 'customers.parquet')
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
await conn.run(`CREATE TABLE customers AS SELECT * FROM (VALUES ('ann', 'gold'), ('bob', 'silver')) c(customer, tier)`);
const byTier = await sql(
  `SELECT window_start, c.tier, count(*) AS orders, sum(o.amount) AS amount
     FROM TUMBLE(orders, ts, '10 minutes') o LEFT JOIN customers c ON o.customer = c.customer
    GROUP BY ALL`,
  { sources: [orderStream], kafka, duckdb: db, until: 'caughtUp' },
);
for (const r of await byTier.collect()) console.log('tier', r.group.tier, r.values.orders, r.values.amount);
await byTier.close();

// 2. An interval join: each order with the payments for it within 15 minutes; event time is the order's
const paid = intervalJoin(orderStream, paymentStream, { on: 'id', lower: '0s', upper: '15 minutes', name: 'paid' });
const query = await from(paid)
  .window(tumble('ts', '10 minutes'))
  .aggregate({ paid_orders: 'count(*)', paid: 'sum(paid)', wait_minutes: 'avg(epoch_ms(payments_ts) - epoch_ms(ts)) / 60000' })
  .run({ kafka, until: { finalWindows: 1 } });
console.log(query.explain().split('\n').filter((l) => /^ {2}[ab] = /.test(l)).join('\n'));
// live: the payment for order 2 crosses the payments' hand-off; later events move both watermarks
// (the joined one is min(orders, payments - 15 minutes)) past the first window's end
await send(payments!, [{ ts: at(9), id: 2, paid: 20 }, { ts: at(27), id: 9, paid: 1 }]);
await send(orders!, [{ ts: at(12), id: 4, customer: 'ann', amount: 7 }]);
for (const r of await query.collect()) console.log('paid', new Date(r.windowStart).toISOString(), r.values.paid_orders, r.values.paid, r.values.wait_minutes);
await producer.disconnect();
await query.close();
conn.closeSync();
