/**
 * The baselines for the stateless Nexmark queries, measured in the same run: the backlog copied as
 * is from the Nexmark topic to a fresh topic by the engine's exact reader and an idempotent producer
 * (acks from all replicas) sending the Kafka sink's bytes per send, no parsing, no DuckDB. The
 * producer is kafkajs's (the bare client of the goal) or the one the Kafka sink uses
 * (@platformatic/kafka's, src/kafka/producer.ts). What q0 costs beyond the second is the pipeline's
 * own work (typing, SQL, JSON out).
 */
import { textAt } from '../../../src/kafka/batch.js';
import { openReader } from '../../../src/kafka/reader.js';
import { MAX_SEND_BYTES } from '../../../src/engine/sink/kafkaWriter.js';
import { clientSettings } from '../../../src/kafka/client.js';
import { openKafkajsProducer, openProducer, type MessageProducer } from '../../../src/kafka/producer.js';
import type { Context } from '../context.js';

export interface CopyMeasured {
  readonly perCore: number;
  readonly wall: number;
  readonly rows: number;
}

/** Whose producer writes the copy. */
export type CopyProducer = 'kafkajs' | 'sink';

function producerFor(ctx: Context, kind: CopyProducer): Promise<MessageProducer> {
  if (kind === 'kafkajs') return openKafkajsProducer(ctx.kafka);
  if (!clientSettings(ctx.kafka)) throw new Error("the sink's producer needs a client made by createKafka");
  return openProducer(ctx.kafka);
}

export async function copyBacklog(ctx: Context, topic: string, partitions: number, events: number, kind: CopyProducer = 'kafkajs'): Promise<CopyMeasured> {
  const out = await ctx.createTopic('nexmark-copy', partitions);
  const admin = ctx.kafka.admin();
  await admin.connect();
  const high = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const producer = await producerFor(ctx, kind);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let copied = 0;
  const next = new Map([...high.keys()].map((p) => [p, 0]));
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const reader = openReader(ctx.kafka, topic, next, async (p, records) => {
    let wanted = 0;
    while (wanted < records.length && records.offsets[wanted]! < (high.get(p) ?? 0)) wanted++;
    // the same bytes per send as the Kafka sink
    let batch: { key: string | null; value: string | null }[] = [];
    let bytes = 0;
    const send = async (): Promise<void> => {
      if (batch.length > 0) await producer.send(out, batch);
      batch = [];
      bytes = 0;
    };
    for (let i = 0; i < wanted; i++) {
      const value = textAt(records.values, i);
      const size = (value?.length ?? 0) + 64;
      if (bytes + size > MAX_SEND_BYTES) await send();
      batch.push({ key: textAt(records.keys, i), value });
      bytes += size;
    }
    await send();
    copied += wanted;
    next.set(p, records.next);
    if ([...high].every(([q, h]) => (next.get(q) ?? 0) >= h)) done();
  });
  try {
    await reader.start();
    await finished;
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { perCore: events / ((cpu.user + cpu.system) / 1e6), wall: events / wallS, rows: copied };
  } finally {
    await reader.stop();
    await producer.close();
    await ctx.deleteTopic(out);
  }
}
