/**
 * Kafka ingest: loading a topic's backlog into the engine (a windowed query with history
 * { kafkaBacklog: true }, run until caught up) beside the client ceilings reading the same topic:
 * a bare kafkajs consumer loop that only counts, and kcat writing the values to /dev/null.
 */
import { source, sql } from '../../../src/index.js';
import type { Context } from '../context.js';
import { figure, missing, type Cell, type Section } from '../report.js';
import { bareKafkajs, barePlatformatic, bareReader, kcat } from './clientLoops.js';

const PARTITIONS = 2;
const BASE_MS = Date.UTC(2026, 0, 1);

/** Fills the topic with `n` JSON events (~100 bytes each); returns the bytes of the values. */
async function fill(ctx: Context, topic: string, n: number): Promise<number> {
  const producer = ctx.kafka.producer();
  await producer.connect();
  let bytes = 0;
  const pending: Promise<unknown>[] = [];
  for (let from = 0; from < n; from += 5000) {
    const messages = [];
    for (let i = from; i < Math.min(n, from + 5000); i++) {
      const ms = BASE_MS + i * 10;
      const value = JSON.stringify({ ts: new Date(ms).toISOString(), sensor: (i * 7919) % 100, value: ((i * 31) % 10007) / 100, note: `reading ${i}` });
      bytes += value.length;
      messages.push({ value, partition: i % PARTITIONS, timestamp: String(ms) });
    }
    pending.push(producer.send({ topic, messages, acks: 1 }));
    if (pending.length >= 4) await pending.shift();
  }
  await Promise.all(pending);
  await producer.disconnect();
  return bytes;
}

async function ours(ctx: Context, topic: string): Promise<{ ms: number; events: number }> {
  const readings = source({
    name: 'readings', time: 'ts', history: { kafkaBacklog: true }, live: { topic },
    schema: { ts: 'TIMESTAMP', sensor: 'INTEGER', value: 'DOUBLE', note: 'VARCHAR' },
  });
  const t0 = performance.now();
  const q = await sql(`SELECT window_start, window_end, sensor, count(*) AS n FROM TUMBLE(readings, ts, '1 minute') GROUP BY ALL`, { sources: { readings }, until: 'caughtUp', kafka: ctx.kafka });
  await q.collect();
  const ms = performance.now() - t0;
  const events = q.stats().events;
  await q.close();
  return { ms, events };
}

const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

export async function ingestCase(ctx: Context): Promise<Section> {
  const n = ctx.scale.ingestMessages;
  const topic = await ctx.createTopic('ingest', PARTITIONS);
  ctx.log(`ingest: producing ${n.toLocaleString('en-US')} messages`);
  const bytes = await fill(ctx, topic, n);
  const msgs: Record<string, number[]> = { Windowpane: [], 'kafkajs bare loop': [], 'Windowpane reader alone': [], '@platformatic/kafka fetch loop': [], kcat: [] };
  const failures: Record<string, string> = {};
  const notes: string[] = [];
  const attempt = async (name: string, fn: () => Promise<number>): Promise<void> => {
    if (failures[name]) return;
    try {
      msgs[name]!.push(n / ((await fn()) / 1000));
    } catch (e) {
      failures[name] = errorLine(e);
    }
  };
  for (let i = 0; i < ctx.scale.repeats; i++) {
    await attempt('Windowpane', async () => {
      const o = await ours(ctx, topic);
      if (o.events !== n) notes.push(`Windowpane counted ${o.events} events of ${n} in run ${i + 1}.`);
      return o.ms;
    });
    await attempt('kafkajs bare loop', () => bareKafkajs(ctx.kafka, topic, n));
    await attempt('Windowpane reader alone', () => bareReader(ctx.kafka, topic, PARTITIONS, n));
    await attempt('@platformatic/kafka fetch loop', () => barePlatformatic(ctx.brokers, topic, n));
    await attempt('kcat', () => kcat(ctx.brokers, topic));
    ctx.log(`ingest run ${i + 1}: ${Object.entries(msgs).map(([k, v]) => `${k} ${Math.round(v[v.length - 1] ?? 0)}`).join(', ')} msg/s`);
  }
  await ctx.deleteTopic(topic);
  const mb = (v: number[]) => v.map((x) => (x * bytes) / n / 1e6);
  const cell = (name: string, unit: 'msg' | 'mb'): Cell => {
    const failure = failures[name];
    if (failure !== undefined) return missing(failure);
    return unit === 'msg' ? figure(msgs[name]!, 'msg/s') : figure(mb(msgs[name]!), 'MB/s', 1);
  };
  const columns = Object.keys(msgs);
  notes.push(
    `Topic: ${n.toLocaleString('en-US')} JSON messages in ${PARTITIONS} partitions, ${Math.round(bytes / n)} bytes per value on average (MB/s counts value bytes). Windowpane: a query with history \`{ kafkaBacklog: true }\` run \`until: 'caughtUp'\`, timed from \`sql()\` to \`collect()\` — reading, JSON parsing and typing in DuckDB, and the windowed count over the loaded backlog. kafkajs: a consumer in a fresh group counting messages in \`eachBatch\`, from \`run()\` to the last message. Windowpane reader alone: the engine's exact-offset reader (Fetch requests to the partitions' leader over @platformatic/kafka's connections, record batches decoded into columns, no consumer group) counting the values, no DuckDB. @platformatic/kafka fetch loop: the same Fetch requests with the package's own record parsing (an object per record). kcat: \`kcat -C -o beginning -e -q\` to /dev/null, process start to exit.`,
  );
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
  const ratio = (a: string, b: string): string => (msgs[a]!.length && msgs[b]!.length ? `${(median(msgs[a]!) / median(msgs[b]!)).toFixed(2)}×` : 'n/a');
  notes.push(`Ratios of the medians: Windowpane / kcat ${ratio('Windowpane', 'kcat')}; Windowpane / Windowpane reader alone ${ratio('Windowpane', 'Windowpane reader alone')}; Windowpane reader alone / kafkajs bare loop ${ratio('Windowpane reader alone', 'kafkajs bare loop')}.`);
  return {
    id: 'ingest', title: 'Kafka ingest: reading a topic backlog', columns,
    rows: [
      { name: 'messages per second', cells: Object.fromEntries(columns.map((c) => [c, cell(c, 'msg')])) },
      { name: 'MB per second (values)', cells: Object.fromEntries(columns.map((c) => [c, cell(c, 'mb')])) },
    ],
    ratioTo: 'kafkajs bare loop', higherIsBetter: true, notes,
  };
}
