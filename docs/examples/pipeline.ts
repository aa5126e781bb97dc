// A stateless pipeline: the topic's backlog, then live, filtered and reshaped into another topic.
import { from, kafkaClient, kafkaSink, source } from 'windowpane';

const kafka = kafkaClient();
const input = `guide-orders-${Date.now()}`;
const output = `${input}-large`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }], waitForLeaders: true });
await admin.disconnect();

const producer = kafka.producer();
await producer.connect();
const order = (minute: number, customer: string, amount: number) => ({ value: JSON.stringify({ ts: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(), customer, amount }) });
// the backlog, with one record that is not JSON: counted and kept, the stream goes on
await producer.send({ topic: input, messages: [order(0, 'ada', 120), order(1, 'bob', 40), { value: 'oops' }, order(2, 'cy', 300)] });

const orders = source({
  name: 'orders',
  time: 'ts',
  history: { kafkaBacklog: true },
  live: { topic: input },
  schema: { ts: 'TIMESTAMP', customer: 'VARCHAR', amount: 'DOUBLE' },
});
const large = await from(orders)
  .filter('amount >= 100')
  .derive({ amount_eur: 'round(amount * 0.92, 2)' })
  .select({ ts: 'ts', customer: 'customer', amount_eur: 'amount_eur' })
  .run({ kafka, until: { offsets: { 0: 6 } } }); // a bounded run: offsets 0 to 5, then stop
// attach every consumer before awaiting anything else: records flow once the sinks are open
const written = large.sink(kafkaSink({ topic: output, key: 'customer' }));
const records = large.collect();
console.log(large.explain().split('\n').find((l) => l.startsWith('hand-off')));

// live: two more orders after the backlog
await producer.send({ topic: input, messages: [order(5, 'dee', 99), order(6, 'eve', 150)] });
for (const r of await records) console.log(new Date(r.ts as number).toISOString(), r.customer, r.amount_eur);
console.log('written:', (await (await written).done).messages, 'dead letters:', large.stats().deadLetters);
await producer.disconnect();
await large.close();
