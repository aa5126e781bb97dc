/**
 * Interval join, live path: two topics filled first, read from their earliest offsets with no
 * history, so every record goes through the join's micro-batches (each input's batch against the
 * other's buffer) and on into the window engine. Reported: input events/s (wall clock and per core:
 * CPU time of this process, DuckDB's threads included), joined rows, peak RSS. Needs a broker.
 *   node --import tsx bench/engine-join.ts [events per input]
 */
import { randomBytes } from 'node:crypto';
import { intervalJoin, kafkaClient, source, sql } from '../src/index.js';
import { createTopicAndWait } from '../src/kafka/admin.js';

const n = Number(process.argv[2] ?? 100_000);
const kafka = kafkaClient();
const base = Date.UTC(2024, 0, 1);
const topics = ['a', 'b'].map((s) => `bench-join-${s}-${randomBytes(4).toString('hex')}`);

const admin = kafka.admin();
await admin.connect();
for (const topic of topics) await createTopicAndWait(admin, { topic, partitions: 2 });
try {
  // 1. inputs: a row every 100 ms per input (b 50 ms after a), 1,000 keys: each a-row meets 3 b-rows within 5 minutes
  const producer = kafka.producer();
  await producer.connect();
  for (const [t, topic] of topics.entries()) {
    for (let i = 0; i < n; i += 5000) {
      const messages = Array.from({ length: Math.min(5000, n - i) }, (_, j) => ({ partition: (i + j) % 2, value: JSON.stringify({ ts: new Date(base + (i + j) * 100 + t * 50).toISOString(), k: (i + j) % 1000, v: i + j }) }));
      await producer.send({ topic, messages });
    }
  }
  await producer.disconnect();
  // 2. the join, windowed, read to the end offsets seen at start
  const schema = { ts: 'TIMESTAMP', k: 'BIGINT', v: 'BIGINT' } as const;
  const a = source({ name: 'a', time: 'ts', maxOutOfOrderness: '1 second', live: { topic: topics[0]!, startAt: 'earliest' }, schema });
  const b = source({ name: 'b', time: 'ts', maxOutOfOrderness: '1 second', live: { topic: topics[1]!, startAt: 'earliest' }, schema });
  const joined = intervalJoin(a, b, { on: 'k', lower: '0s', upper: '5 minutes', name: 'j' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(j, ts, '1 minute') GROUP BY ALL`, { sources: [joined], kafka, until: 'caughtUp' });
  const rows = await q.collect();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  await q.close();
  const joinedRows = rows.reduce((s, r) => s + Number(r.values.n), 0);
  console.log(`interval join, ${n.toLocaleString('en-US')} events per input, all live: ${joinedRows.toLocaleString('en-US')} joined rows`);
  console.log(`  input events/s, wall clock (incl. consumer group joins): ${Math.round((2 * n) / wallS).toLocaleString('en-US')}`);
  console.log(`  input events/s per core: ${Math.round((2 * n) / cpuS).toLocaleString('en-US')}`);
  console.log(`  peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}
