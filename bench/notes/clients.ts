/**
 * The Kafka clients side by side on one topic (issue 13): kafkajs's consumer loop, @platformatic/kafka's
 * fetch loop over the assigned partitions, and kcat, alternating, each reading the whole topic.
 *   node --import tsx bench/notes/clients.ts [messages=1000000] [partitions=2] [rounds=3]
 */
import { randomBytes } from 'node:crypto';
import { kafkaClient, resolveBrokers } from '../../src/index.js';
import { bareKafkajs, barePlatformatic, kcat } from '../suite/cases/clientLoops.js';
import { summarize } from '../stats.js';
import { createTopicAndWait } from '../../src/kafka/admin.js';

const n = Number(process.argv[2] ?? 1_000_000);
const partitions = Number(process.argv[3] ?? 2);
const rounds = Number(process.argv[4] ?? 3);
const kafka = kafkaClient();
const brokers = resolveBrokers()[0]!;
const topic = `bench-clients-${randomBytes(4).toString('hex')}`;
const admin = kafka.admin();
await admin.connect();
await createTopicAndWait(admin, { topic, partitions: partitions });
const producer = kafka.producer();
await producer.connect();
const base = Date.UTC(2026, 0, 1);
for (let from = 0; from < n; from += 5000) {
  const messages = [];
  for (let i = from; i < Math.min(n, from + 5000); i++) {
    const ms = base + i * 10;
    messages.push({ partition: i % partitions, timestamp: String(ms), value: JSON.stringify({ ts: new Date(ms).toISOString(), sensor: (i * 7919) % 100, value: ((i * 31) % 10007) / 100, note: `reading ${i}` }) });
  }
  await producer.send({ topic, messages, acks: 1 });
}
await producer.disconnect();
const results: Record<string, number[]> = { kafkajs: [], '@platformatic/kafka': [], kcat: [] };
for (let r = 0; r < rounds; r++) {
  results.kafkajs!.push(n / ((await bareKafkajs(kafka, topic, n)) / 1000));
  results['@platformatic/kafka']!.push(n / ((await barePlatformatic(brokers, topic, n)) / 1000));
  results.kcat!.push(n / ((await kcat(brokers, topic)) / 1000));
  console.log(`round ${r + 1}: ${Object.entries(results).map(([k, v]) => `${k} ${Math.round(v[v.length - 1]!)}`).join(', ')} msg/s`);
}
console.log(`\n| client | msg/s (median, min–max, n=${rounds}) |\n| --- | --- |`);
for (const [k, v] of Object.entries(results)) {
  const s = summarize(v);
  console.log(`| ${k} | ${Math.round(s.median)} (${Math.round(s.min)}–${Math.round(s.max)}) |`);
}
await admin.deleteTopics({ topics: [topic] });
await admin.disconnect();
