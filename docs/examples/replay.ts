// Provenance records what a run read; replay runs the query again over exactly that data.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient, source, sql, type Provenance } from 'windowpane';

const kafka = kafkaClient();
const topic = `guide-orders-${Date.now()}`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
await admin.disconnect();
const producer = kafka.producer();
await producer.connect();
const order = (minute: number, amount: number) => ({ value: JSON.stringify({ ts: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(), amount }) });
await producer.send({ topic, messages: [order(1, 20), order(4, 5), order(12, 7), order(15, 30)] });

const orders = source({ name: 'orders', time: 'ts', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', amount: 'DOUBLE' } });
const text = `SELECT window_start, count(*) AS n, sum(amount) AS total FROM TUMBLE(orders, ts, '10 minutes') GROUP BY ALL`;
const first = await sql(text, { sources: { orders }, kafka, until: 'caughtUp' });
const rows = await first.collect();
const provenance = first.provenance()!;
console.log('read', JSON.stringify(provenance.kafka?.offsets), 'of', provenance.kafka?.topic, 'via', provenance.kafka?.brokers.length, 'broker(s)');
await first.close();

// keep it (a notebook run keeps it in the notebook's metadata), let more orders arrive...
const file = join(mkdtempSync(join(tmpdir(), 'guide-')), 'provenance.json');
writeFileSync(file, JSON.stringify(provenance));
await producer.send({ topic, messages: [order(16, 99), order(31, 1)] });
await producer.disconnect();

// ...and replay: the same offsets, the same flush, the same rows
const recorded = JSON.parse(readFileSync(file, 'utf8')) as Provenance;
const again = await sql(text, { sources: { orders }, kafka, replay: recorded });
const same = JSON.stringify((await again.collect()).map((r) => [r.key, r.values])) === JSON.stringify(rows.map((r) => [r.key, r.values]));
console.log('replayed', JSON.stringify(again.provenance()?.kafka?.offsets), same ? 'same rows' : 'different rows');
await again.close();
