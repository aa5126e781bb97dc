/**
 * The local broker's start time and memory. Baseline, measured in the same run: the bare JVM start
 * (`java -version`), the floor under any Java broker's start. Printed, never asserted.
 *   node --import tsx bench/kafka.ts [repeats]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, stopBroker } from '../src/local-kafka/broker.js';
import { kafkaPaths } from '../src/local-kafka/paths.js';
import { processRss } from '../src/local-kafka/state.js';
import { freePort } from '../src/local-kafka/ports.js';
import { fmt, printTable, summarize } from './stats.js';

const repeats = Number(process.argv[2] ?? 3);
const cold: number[] = [];
const warm: number[] = [];
const rss: number[] = [];
const jvm: number[] = [];

for (let i = 0; i < repeats; i++) {
  const t = performance.now();
  spawnSync('java', ['-version']);
  jvm.push(performance.now() - t);

  const dir = mkdtempSync(join(tmpdir(), 'windowpane-bench-kafka-'));
  const paths = kafkaPaths(join(dir, 'kafka'));
  const port = await freePort();
  try {
    const first = await startBroker({ paths, port });
    cold.push(first.startMs);
    rss.push((processRss(first.pid) ?? 0) / 1024 / 1024);
    await stopBroker({ paths });
    const second = await startBroker({ paths, port });
    warm.push(second.startMs);
    await stopBroker({ paths });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const jvmS = summarize(jvm);
const coldS = summarize(cold);
const warmS = summarize(warm);
printTable('Local Kafka broker: start to first admin answer', [
  { case: 'cold start (format storage + start)', ours: fmt(coldS, 'ms', 0), baseline: `JVM start ${fmt(jvmS, 'ms', 0)}`, ratio: coldS.median / jvmS.median },
  { case: 'warm start (existing data)', ours: fmt(warmS, 'ms', 0), baseline: `JVM start ${fmt(jvmS, 'ms', 0)}`, ratio: warmS.median / jvmS.median },
  { case: 'resident memory after start', ours: fmt(summarize(rss), 'MiB', 0), baseline: `heap limit ${process.env.WINDOWPANE_KAFKA_HEAP ?? '512m'}` },
]);
