// Hourly delay per origin airport over a Parquet file: a history-only query, bounded by nature.
import { source, sql } from 'windowpane';

const flights = source({
  name: 'flights',
  time: 'date',
  history: { parquet: 'node_modules/vega-datasets/data/flights-3m.parquet' },
});

const query = await sql(
  `SELECT window_start, origin, count(*) AS flights, avg(delay) AS avg_delay
     FROM TUMBLE(flights, date, '1 day')
    WHERE origin IN ('SFO', 'JFK')
    GROUP BY ALL`,
  { sources: { flights } },
);
const rows = await query.collect(); // final rows, by window start then key
console.log(rows.length, 'windows');
console.log(JSON.stringify(rows[0]));
console.log(query.explain().split('\n')[0]);
await query.close();
