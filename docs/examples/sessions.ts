// Session windows per user across the hand-off; late data revises a session or is counted, never dropped.
import { kafkaClient, source, sql } from 'windowpane';

const kafka = kafkaClient();
const topic = `guide-sessions-${Date.now()}`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
await admin.disconnect();
const producer = kafka.producer({ idempotent: true });
await producer.connect();
const click = (minute: number, user: string) => ({ value: JSON.stringify({ ts: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(), user }) });
// the backlog: history for the query
await producer.send({ topic, messages: [click(0, 'alice'), click(3, 'alice'), click(1, 'bob')] });

const clicks = source({ name: 'clicks', time: 'ts', maxOutOfOrderness: '1 minute', history: { kafkaBacklog: true }, live: { topic }, schema: { ts: 'TIMESTAMP', user: 'VARCHAR' } });
const query = await sql(`SELECT window_start, window_end, user, count(*) AS clicks FROM SESSION(clicks PARTITION BY user, ts, '5 minutes') GROUP BY ALL`, {
  sources: { clicks },
  kafka,
  emit: 'updates',
  updateInterval: 0,
  allowedLateness: '30 minutes', // late events this far behind the watermark still revise their session
  until: { offsets: { 0: 8 } },
});
const lines: string[] = [];
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const following = (async () => {
  for await (const batch of query.changelog()) {
    for (const r of [...batch.rows].sort((a, b) => a.key.localeCompare(b.key))) lines.push(`${r.kind} ${r.group.user} ${hhmm(r.windowStart)}-${hhmm(r.windowEnd)} ${r.values.clicks}`);
  }
})();
// live events, one at a time (each moves the watermark: one partition, 1 minute of disorder): alice's
// click at 00:06 is late but within the lateness: it joins her two closed sessions into one (both
// retracted, the merged one revised); her click at 00:40 comes when the watermark is 01:29, more
// than the lateness behind: it is counted and kept as late
let offset = 3;
for (const [minute, user] of [[10, 'alice'], [30, 'bob'], [6, 'alice'], [90, 'bob'], [40, 'alice']] as const) {
  await producer.send({ topic, messages: [click(minute, user)] });
  await query.processedUpTo({ 0: ++offset });
}
await query.done;
await following;
console.log(lines.join('\n'));
console.log('late:', JSON.stringify((await query.lateCounts()).map((r) => [hhmm(Number(r.window_start)), r.late])), 'revised:', query.stats().revised, 'retracted:', query.stats().retracted);
await producer.disconnect();
await query.close();
