/**
 * The live case of the suite at one rate, with every DuckDB statement timed and a CPU profile of
 * the process: count per key in 1-second tumbling windows, events produced at a fixed rate by the
 * suite's producer process (bench/suite/live/producer.ts).
 *   node --import tsx bench/notes/profileLive.ts [events/s=10000] [partitions=1] [seconds=15] [outDir=/tmp/prof]
 * Summarize with bench/notes/profileTop.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openContext } from '../suite/context.js';
import { runOnce } from '../suite/cases/live.js';
import { SCALES } from '../suite/scale.js';
import { cpuProfile } from './cpuProfile.js';
import { statementReport, timeStatements } from './statementTimes.js';

const rate = Number(process.argv[2] ?? 10_000);
const partitions = Number(process.argv[3] ?? 1);
const seconds = Number(process.argv[4] ?? 15);
const outDir = process.argv[5] ?? '/tmp/prof';
mkdirSync(outDir, { recursive: true });
process.env.TZ = 'UTC';
const ctx = await openContext(SCALES.full, process.env.WINDOWPANE_KAFKA_BROKERS ?? '127.0.0.1:9092');
try {
  timeStatements();
  const { result: f, cpuMs } = await cpuProfile(join(outDir, 'live.cpuprofile'), () => runOnce(ctx, 'Windowpane', undefined, rate, partitions, seconds));
  console.log(`${rate} events/s, ${partitions} partition(s), ${seconds} s: sustained ${Math.round(f.sustained)}, p50 ${f.p50} ms, p99 ${f.p99} ms${f.complete ? '' : ' (incomplete)'}; process CPU ${cpuMs.toFixed(0)} ms`);
  console.log(statementReport(25));
} finally {
  await ctx.close();
}
