// Sinks: a query's final rows upserted into a DuckDB table, written as Parquet parts and to a compacted topic.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient, kafkaSink, parquetSink, source, sql, tableSink } from 'windowpane';

const flights = source({ name: 'flights', time: 'date', history: { parquet: 'node_modules/vega-datasets/data/flights-3m.parquet' } });
const query = await sql(
  `SELECT window_start, origin, count(*) AS flights, round(avg(delay), 1) AS avg_delay
     FROM TUMBLE(flights, date, '1 day')
    WHERE origin IN ('SFO', 'JFK')
    GROUP BY ALL`,
  { sources: { flights } },
);

// a compacted topic keeps the last message per key, and a final row's key is its window + group
const kafka = kafkaClient();
const topic = `guide-daily-delays-${Date.now()}`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }], waitForLeaders: true });
await admin.disconnect();

const table = await query.sink(tableSink({ table: 'daily_delays' })); // in the query's own DuckDB
const files = await query.sink(parquetSink({ dir: mkdtempSync(join(tmpdir(), 'delays-')), rowsPerFile: 100 }));
const messages = await query.sink(kafkaSink({ topic, mode: 'final' }));
for (const sink of [table, files, messages]) {
  const s = await sink.done; // the query has ended and every row is written
  console.log(`${sink.spec.kind}: ${s.rows} rows, ${s.files} files, ${s.messages} messages`);
}
const worst = await table.read(`SELECT origin, strftime(window_start, '%Y-%m-%d') AS day, avg_delay FROM daily_delays ORDER BY avg_delay DESC LIMIT 1`);
console.log(JSON.stringify(worst[0]));
console.log(JSON.stringify(await files.read('SELECT count(*) AS n, count(DISTINCT key) AS keys FROM parts')));
await query.close();
