/**
 * A CPU profile of the sessions case's live phase alone, with every DuckDB statement timed: the
 * events of bench/suite/cases/sessions.ts (a 2-partition topic, each key in one partition) are
 * produced once, one run warms up, then one run is profiled; DuckDB direct over the same events is
 * timed beside it.
 *   node --import tsx bench/notes/profileSessions.ts [events=200000] [keys=10000] [outDir=/tmp/prof]
 * Summarize with bench/notes/profileTop.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openContext } from '../suite/context.js';
import { SCALES } from '../suite/scale.js';
import { direct, generate, oursLive, produce } from '../suite/cases/sessions.js';
import { cpuProfile } from './cpuProfile.js';
import { statementReport, timeStatements } from './statementTimes.js';

const events = Number(process.argv[2] ?? 200_000);
const keys = Number(process.argv[3] ?? 10_000);
const outDir = process.argv[4] ?? '/tmp/prof';
mkdirSync(outDir, { recursive: true });
process.env.TZ = 'UTC';
const ctx = await openContext(SCALES.full, process.env.WINDOWPANE_KAFKA_BROKERS ?? '127.0.0.1:9092');
try {
  const file = join(ctx.dir, 'sessions.parquet');
  await generate(file, events, keys);
  const topic = await produce(ctx, file);
  const warm = await oursLive(ctx, topic);
  console.log(`warm-up: ${Math.round(events / (warm.ms / 1000))} events/s, ${warm.batches} batches, ${warm.rows} sessions`);
  timeStatements();
  const { result: o, cpuMs } = await cpuProfile(join(outDir, 'sessions.cpuprofile'), () => oursLive(ctx, topic));
  console.log(`profiled: ${Math.round(events / (o.ms / 1000))} events/s (${o.ms.toFixed(0)} ms, CPU ${cpuMs.toFixed(0)} ms), ${o.batches} batches, ${o.rows} sessions`);
  console.log(statementReport(20));
  const d = await direct(`read_parquet('${file}')`);
  console.log(`DuckDB direct: ${Math.round(events / (d.ms / 1000))} events/s, ${d.rows} sessions`);
  await ctx.deleteTopic(topic);
} finally {
  await ctx.close();
}
