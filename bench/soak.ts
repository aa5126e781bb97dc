/**
 * Soak: a long live run at a fixed rate; every 10 s the process RSS, the V8 heap and the query's
 * DuckDB memory are sampled. After the warm-up (the first fifth of the run) each series should be
 * flat: printed as a least-squares slope in MB per minute beside the run's mean, drawn to
 * docs/img/soak-memory.svg and written to docs/img/soak-memory.json (the slopes and the samples),
 * which `npm run reliability` puts in RELIABILITY.md. The query is a per-key tumbling count in 'updates'
 * mode over 1,000 keys with `retainClosedRows` bounding the rows kept for snapshots (without a
 * bound the result table grows by design: every closed window is kept). Needs a broker.
 *   node --import tsx bench/soak.ts [events/s=5000] [minutes=10] [sample seconds=10]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { kafkaClient, source, sql } from '../src/index.js';
import { packageRoot } from '../src/util/paths.js';
import { printTable } from './stats.js';
import { createTopicAndWait } from '../src/kafka/admin.js';

const rate = Number(process.argv[2] ?? 5000);
const minutes = Number(process.argv[3] ?? 10);
const sampleS = Number(process.argv[4] ?? 10);
const KEYS = 1000;
const MB = 1024 * 1024;
const kafka = kafkaClient();

interface Sample {
  readonly t: number; // seconds since the start
  readonly rssMB: number;
  readonly heapMB: number;
  readonly duckMB: number;
  readonly events: number;
  readonly lagEvents: number;
}

/** Least-squares slope of y over x. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const topic = `bench-soak-${randomBytes(4).toString('hex')}`;
const admin = kafka.admin();
await admin.connect();
await createTopicAndWait(admin, { topic, partitions: 2 });

const events = source({ name: 'events', time: 'ts', maxOutOfOrderness: '200 ms', live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', k: 'VARCHAR', v: 'BIGINT' } });
const q = await sql(`SELECT window_start, k, count(*) AS n, sum(v) AS total FROM TUMBLE(events, ts, '1 second') GROUP BY ALL`, {
  sources: { events },
  kafka,
  emit: 'updates',
  retainClosedRows: 10_000,
});
let emitted = 0;
const reading = (async () => {
  for await (const batch of q.changelog()) emitted += batch.rows.length;
})();

const producer = kafka.producer();
await producer.connect();
const start = Date.now();
const endAt = start + minutes * 60_000;
let sent = 0;
const producing = (async () => {
  const perTick = Math.max(1, Math.round(rate / 100));
  for (let tick = 0; Date.now() < endAt; tick++) {
    const now = Date.now();
    await producer.send({ topic, messages: Array.from({ length: perTick }, (_, i) => ({ partition: (sent + i) % 2, value: JSON.stringify({ ts: now, k: `key-${(sent + i) % KEYS}`, v: sent + i }) })) });
    sent += perTick;
    const wait = start + (tick + 1) * 10 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
})();

const samples: Sample[] = [];
while (Date.now() < endAt) {
  await new Promise((r) => setTimeout(r, sampleS * 1000));
  const mem = await q.memory();
  const s = q.stats();
  samples.push({ t: (Date.now() - start) / 1000, rssMB: process.memoryUsage.rss() / MB, heapMB: process.memoryUsage().heapUsed / MB, duckMB: mem.memoryBytes / MB, events: s.events, lagEvents: sent - s.events });
  const last = samples.at(-1)!;
  console.error(`soak ${last.t.toFixed(0)}s: rss ${last.rssMB.toFixed(0)} MB, heap ${last.heapMB.toFixed(0)} MB, duckdb ${last.duckMB.toFixed(1)} MB, ${last.events} events, lag ${last.lagEvents}`);
}
await producing;
await producer.disconnect();
while (q.stats().events < sent) await new Promise((r) => setTimeout(r, 50));
await q.stop();
await reading;
await q.close();
await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
await admin.disconnect();

const warm = samples.filter((s) => s.t >= (minutes * 60) / 5);
const perMin = (key: 'rssMB' | 'heapMB' | 'duckMB'): number => slope(warm.map((s) => s.t / 60), warm.map((s) => s[key]));
const mean = (key: 'rssMB' | 'heapMB' | 'duckMB'): number => warm.reduce((a, s) => a + s[key], 0) / warm.length;
const row = (name: string, key: 'rssMB' | 'heapMB' | 'duckMB') => ({
  case: `${name}: slope after warm-up`,
  ours: `${perMin(key) >= 0 ? '+' : ''}${perMin(key).toFixed(2)} MB/min`,
  baseline: `mean ${mean(key).toFixed(1)} MB (min ${Math.min(...warm.map((s) => s[key])).toFixed(1)}, max ${Math.max(...warm.map((s) => s[key])).toFixed(1)})`,
});
printTable(`soak: ${minutes} min live at ${rate} events/s, ${KEYS} keys, ${sent} events, ${emitted} changelog rows, samples every ${sampleS} s (warm-up: the first ${((minutes * 60) / 5).toFixed(0)} s)`, [
  row('process RSS', 'rssMB'),
  row('V8 heap used', 'heapMB'),
  row('DuckDB memory', 'duckMB'),
  { case: 'lag behind the producer at the last sample', ours: `${samples.at(-1)?.lagEvents ?? 0} events`, baseline: `${rate} events = 1 s of input` },
]);

// the memory curve, for RELIABILITY.md
const values = samples.flatMap((s) => [
  { t: s.t, series: 'process RSS', MB: s.rssMB },
  { t: s.t, series: 'V8 heap used', MB: s.heapMB },
  { t: s.t, series: 'DuckDB memory', MB: s.duckMB },
]);
const spec: TopLevelSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: `Memory during a ${minutes}-minute live run at ${rate} events/s`,
  width: 560,
  height: 220,
  data: { values },
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 't', type: 'quantitative', title: 'seconds since start' },
    y: { field: 'MB', type: 'quantitative', title: 'MB' },
    color: { field: 'series', type: 'nominal', title: null },
  },
};
const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
const svg = await view.toSVG();
view.finalize();
const out = join(packageRoot, 'docs', 'img', 'soak-memory.svg');
mkdirSync(join(packageRoot, 'docs', 'img'), { recursive: true });
writeFileSync(out, svg);
const series = (key: 'rssMB' | 'heapMB' | 'duckMB') => ({ slopeMBPerMin: Number(perMin(key).toFixed(3)), meanMB: Number(mean(key).toFixed(1)), minMB: Number(Math.min(...warm.map((s) => s[key])).toFixed(1)), maxMB: Number(Math.max(...warm.map((s) => s[key])).toFixed(1)) });
const figures = {
  at: new Date().toISOString(),
  minutes, rate, keys: KEYS, sampleSeconds: sampleS, warmUpSeconds: (minutes * 60) / 5, events: sent, changelogRows: emitted,
  lastLagEvents: samples.at(-1)?.lagEvents ?? 0,
  series: { 'process RSS': series('rssMB'), 'V8 heap used': series('heapMB'), 'DuckDB memory': series('duckMB') },
  samples: samples.map((s) => ({ t: Math.round(s.t), rssMB: Number(s.rssMB.toFixed(1)), heapMB: Number(s.heapMB.toFixed(1)), duckMB: Number(s.duckMB.toFixed(1)), lagEvents: s.lagEvents })),
};
writeFileSync(join(packageRoot, 'docs', 'img', 'soak-memory.json'), JSON.stringify(figures, null, 2) + '\n');
console.log(`\nthe memory curve: ${out} (figures: docs/img/soak-memory.json)`);
