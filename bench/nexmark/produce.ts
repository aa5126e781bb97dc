/** Fills a topic with Nexmark events 0..count, in event-time order, as fast as the producer goes. */
import type { Kafka } from 'kafkajs';
import { encodeEvent, eventTime } from './encode.js';
import { NexmarkGenerator, type NexmarkConfig } from './generator.js';

export interface ProduceResult {
  readonly events: number;
  readonly bytes: number;
  readonly ms: number;
}

export async function produceNexmark(kafka: Kafka, topic: string, count: number, config: Partial<NexmarkConfig> = {}): Promise<ProduceResult> {
  const gen = new NexmarkGenerator(config);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const t0 = performance.now();
  let bytes = 0;
  const batch = 2000;
  const inFlight: Promise<unknown>[] = [];
  try {
    for (let from = 0; from < count; from += batch) {
      const messages = [];
      for (let i = from; i < Math.min(count, from + batch); i++) {
        const e = gen.event(i);
        const value = encodeEvent(e);
        bytes += value.length;
        messages.push({ value, timestamp: String(eventTime(e)) });
      }
      inFlight.push(producer.send({ topic, messages, acks: 1 }));
      // a few batches in flight keep the broker busy without unbounded memory
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return { events: count, bytes, ms: performance.now() - t0 };
}
