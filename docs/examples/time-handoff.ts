// History in a CSV file without offsets, then live from Kafka: the hand-off by time.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient, source, sql } from 'windowpane';

const kafka = kafkaClient();
const topic = `guide-visits-${Date.now()}`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
await admin.disconnect();

const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString();
// the archive: visits up to 00:09, a plain CSV file
const csv = join(mkdtempSync(join(tmpdir(), 'guide-')), 'visits.csv');
writeFileSync(csv, ['ts,page', ...[0, 2, 4, 6, 9].map((m) => `${at(m)},home`)].join('\n'));

// the topic: record timestamps are event times (as `windowpane replay` writes them); it still holds 00:06 and 00:09
const producer = kafka.producer();
await producer.connect();
const visit = (minute: number, page: string) => ({ value: JSON.stringify({ ts: at(minute), page }), timestamp: String(Date.parse(at(minute))) });
await producer.send({ topic, messages: [visit(1, 'home'), visit(6, 'home'), visit(9, 'home'), visit(11, 'cart'), visit(12, 'home'), visit(21, 'home')] });
await producer.disconnect();

const visits = source({
  name: 'visits',
  time: 'ts',
  maxOutOfOrderness: '5 minutes',
  history: { csv },
  live: { topic, handoff: { maxGap: '30 minutes' } }, // the boundary: history's last event time (the default)
  schema: { ts: 'TIMESTAMP', page: 'VARCHAR' },
});
const query = await sql(`SELECT window_start, page, count(*) AS n FROM TUMBLE(visits, ts, '10 minutes') GROUP BY ALL`, { sources: { visits }, kafka, until: 'caughtUp' });
for (const row of await query.collect()) console.log(new Date(row.windowStart).toISOString(), row.group.page, row.values.n);
const { handoff, overlap } = query.stats();
console.log(`hand-off by ${handoff?.kind} at ${handoff?.boundary}: ${overlap} overlapping live events, ${handoff?.gaps.length} gaps`);
console.log('overlap:', (await query.overlapEvents()).map((e) => new Date(Number(e.ts)).toISOString()).join(' '));
await query.close();
