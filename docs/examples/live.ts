// History from the topic's own backlog, then live: the hand-off at exact offsets.
import { kafkaClient, source, sql } from 'windowpane';

const kafka = kafkaClient(); // WINDOWPANE_KAFKA_BROKERS, windowpane.config.json, or the local broker
const topic = `guide-clicks-${Date.now()}`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
await admin.disconnect();

const producer = kafka.producer();
await producer.connect();
const click = (minute: number, page: string) => ({ value: JSON.stringify({ ts: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(), page }) });
// the backlog: already in the topic when the query starts
await producer.send({ topic, messages: [click(0, 'home'), click(1, 'home'), click(2, 'cart'), click(11, 'home')] });

const clicks = source({
  name: 'clicks',
  time: 'ts',
  maxOutOfOrderness: '1 minute',
  history: { kafkaBacklog: true },
  live: { topic },
  schema: { ts: 'TIMESTAMP', page: 'VARCHAR' },
});
const query = await sql(`SELECT window_start, page, count(*) AS n FROM TUMBLE(clicks, ts, '10 minutes') GROUP BY ALL`, {
  sources: { clicks },
  kafka,
  emit: 'updates', // provisional rows while a window fills, a final row when it closes
  until: { finalWindows: 2 }, // a bounded run: stop once two windows are final
  flush: false,
});
console.log(query.explain().split('\n').find((l) => l.startsWith('hand-off')));

// live events, and one that is not JSON: it goes to the dead-letter table, the stream goes on
await producer.send({ topic, messages: [click(12, 'cart'), { value: 'oops' }, click(25, 'home')] });
for await (const row of query.changes()) console.log(row.kind, new Date(row.windowStart).toISOString(), row.group.page, row.values.n);
console.log('dead letters:', query.stats().deadLetters, (await query.deadLetters())[0]?.reason);
await producer.disconnect();
await query.close();
