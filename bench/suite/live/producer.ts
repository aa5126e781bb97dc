/**
 * The fixed-rate producer of the live benchmark, in its own process so that producing never
 * competes with the system under test for the same event loop. Event time = the wall clock when the
 * event is produced; the record timestamp and key carry the same values for the Java peers.
 * The client is @platformatic/kafka's producer (a third of kafkajs's CPU per message, so the rates
 * it can offer on a small machine reach past what the systems sustain), keys partitioned as the Java
 * client does. Prints one JSON line at the end: { sent, firstMs, lastMs, perWindow: { windowStartMs: count } }.
 *   node --import tsx bench/suite/live/producer.ts BROKERS TOPIC RATE SECONDS KEYS WINDOW_MS
 */
import { compatibilityPartitioner, Producer, ProduceAcks } from '@platformatic/kafka';

const [brokers, topic, rateArg, secondsArg, keysArg, windowArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const keys = Number(keysArg);
const windowMs = Number(windowArg);
if (!brokers || !topic || !(rate > 0) || !(seconds > 0) || !(keys > 0) || !(windowMs > 0)) {
  console.error('usage: producer.ts BROKERS TOPIC RATE SECONDS KEYS WINDOW_MS');
  process.exit(2);
}

const producer = new Producer({
  clientId: 'windowpane-bench-producer',
  bootstrapBrokers: [brokers],
  acks: ProduceAcks.LEADER,
  maxInflights: 8,
  retries: 5,
  retryDelay: 200,
  partitioner: compatibilityPartitioner,
});
const perWindow = new Map<number, number>();
let sent = 0;
const start = Date.now();
let last = start;
const end = start + seconds * 1000;
const inFlight = new Set<Promise<unknown>>();
let failure: Error | undefined;

// every few ms, send what the schedule owes: rate × elapsed − sent; after a stall (a busy machine)
// the debt goes out in requests of at most MAX_BATCH, below the broker's message size limit
const MAX_BATCH = 2000;
const MAX_IN_FLIGHT = 8;
try {
  while (Date.now() < end) {
    const now = Date.now();
    const owed = Math.min(MAX_BATCH, Math.floor(((now - start) / 1000) * rate) - sent);
    if (owed > 0 && inFlight.size < MAX_IN_FLIGHT) {
      const messages = [];
      for (let j = 0; j < owed; j++) {
        const key = `k${(sent + j) % keys}`;
        messages.push({ topic, key: Buffer.from(key), value: Buffer.from(`{"ts":${now},"key":"${key}","value":${(sent + j) % 1000}}`), timestamp: BigInt(now) });
      }
      const w = now - (now % windowMs);
      perWindow.set(w, (perWindow.get(w) ?? 0) + owed);
      sent += owed;
      last = now;
      const p: Promise<unknown> = producer
        .send({ messages })
        .then(undefined, (e: unknown) => (failure ??= e instanceof Error ? e : new Error(String(e))))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (owed === MAX_BATCH) continue;
    }
    if (failure !== undefined) throw failure;
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
} catch (e) {
  console.error(`producer: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  process.exit(1);
}
await producer.close();
console.log(JSON.stringify({ sent, firstMs: start, lastMs: last, perWindow: Object.fromEntries(perWindow) }));
