// The same kind of query with the typed builder: column names complete in the editor.
import { from, hop, source } from 'windowpane';

const flights = source({
  name: 'flights',
  time: 'date',
  history: { parquet: 'node_modules/vega-datasets/data/flights-3m.parquet' },
  schema: { date: 'TIMESTAMP', delay: 'BIGINT', distance: 'BIGINT', origin: 'VARCHAR', destination: 'VARCHAR' },
});

const query = await from(flights)
  .filter(`origin = 'SFO'`)
  .derive({ long_haul: 'distance > 1500' })
  .window(hop('date', { size: '7 days', slide: '1 day' }))
  .groupBy('long_haul')
  .aggregate({ flights: 'count(*)', p90_delay: 'quantile_cont(delay, 0.9)' })
  .run();
const rows = await query.collect();
console.log(rows.length, 'windows');
console.log(JSON.stringify(rows.find((r) => r.group.long_haul === true)));
await query.close();
