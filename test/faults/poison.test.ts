/**
 * Fault 3: poison in the stream. 100,000 malformed records among 1,000,000 good ones, interleaved
 * over three partitions: invalid JSON, wrong types, a missing time, JSON null values, tombstones,
 * 1 MB values and binary. Every bad record is in the dead-letter table with its partition, offset
 * and reason; every good one is counted, into the right window; the query stays live throughout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka, Message } from 'kafkajs';
import { source, sql } from '../../src/index.js';
import { withTopic } from '../helpers/kafka.js';
import { recordFault, since } from './figures.js';

const PARTITIONS = 3;
const GOOD = 1_000_000;
const BAD = 100_000;
const BIG = 20; // 1 MB values, the first bad records
const MB = 1_000_000;
const BASE = Date.UTC(2024, 0, 1);
const STEP_MS = 100; // event time between consecutive records
const BATCH = 30_000;

type Kind = 'good' | 'malformed' | 'wrong type' | 'missing time' | 'json null' | 'tombstone' | 'binary' | '1 MB malformed' | '1 MB wrong type';

/** Record i of the stream: every 11th is bad; its kind by its number among the bad ones. */
function kindOf(i: number): Kind {
  if (i % 11 !== 10) return 'good';
  const b = Math.floor(i / 11);
  if (b < BIG) return b % 2 === 0 ? '1 MB malformed' : '1 MB wrong type';
  const k = b % 20;
  return k < 6 ? 'malformed' : k < 10 ? 'wrong type' : k < 13 ? 'missing time' : k < 15 ? 'json null' : k < 17 ? 'tombstone' : 'binary';
}

/** A small seeded generator for the binary values. */
function bytes(seed: number, n: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  out[0] = 0x00;
  out[1] = 0xff;
  for (let j = 2; j < n; j++) {
    a = (Math.imul(a ^ (a >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
    out[j] = a & 0xff;
  }
  return out;
}

function message(i: number, kind: Kind): Message {
  const ts = BASE + i * STEP_MS;
  const b = Math.floor(i / 11);
  switch (kind) {
    case 'good': return { value: `{"ts":${ts},"g":"g${i % 7}","v":${i % 1000}}` };
    case 'malformed': return { value: `{"ts":${ts},"g":"g1","v":` };
    case 'wrong type': return { value: `{"ts":${ts},"g":"g1","v":"abc${b}"}` };
    case 'missing time': return { value: `{"g":"g1","v":${b % 1000}}` };
    case 'json null': return { value: 'null' };
    case 'tombstone': return { key: `k${b}`, value: null };
    case 'binary': return { value: bytes(b, 48) };
    case '1 MB malformed': return { value: `{"ts":${ts},"v":"${'x'.repeat(MB - 30)}` };
    case '1 MB wrong type': return { value: `{"ts":${ts},"g":"g1","v":"${'y'.repeat(MB - 40)}"}` };
  }
}

function reasonOf(kind: Kind, i: number): string {
  const b = Math.floor(i / 11);
  switch (kind) {
    case 'good': return '';
    case 'malformed': case '1 MB malformed': return 'malformed JSON';
    case 'binary': return 'value is not valid UTF-8';
    case 'wrong type': return `column v: expected BIGINT, got abc${b}`;
    case 'missing time': return 'missing event time "ts"';
    case 'json null': return 'not a JSON object';
    case 'tombstone': return 'empty value';
    case '1 MB wrong type': return `column v: expected BIGINT, got ${'y'.repeat(200)}`;
  }
}

/** Produces records [from, to) in order, in batches; a 1 MB value goes alone (a request holds one record batch per partition). */
async function produceRange(kafka: Kafka, topic: string, from: number, to: number): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    let batch: Message[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length > 0) await producer.send({ topic, acks: -1, messages: batch });
      batch = [];
    };
    for (let i = from; i < to; i++) {
      const kind = kindOf(i);
      const m = { ...message(i, kind), partition: i % PARTITIONS };
      if (kind.startsWith('1 MB')) {
        await flush();
        batch = [m];
        await flush();
      } else {
        batch.push(m);
        if (batch.length >= BATCH) await flush();
      }
    }
    await flush();
  } finally {
    await producer.disconnect();
  }
}

test('poison: 100,000 bad records among 1,000,000 good ones, each dead-lettered with its offset and reason, every good one counted, the query alive', { timeout: 900_000 }, async () => {
  await withTopic({ partitions: PARTITIONS, prefix: 'fault-poison' }, async (topic, kafka) => {
    const total = GOOD + BAD;
    const trailer = 3 * PARTITIONS; // good records after the poison (1,100,000 is a multiple of 11): the query still takes them
    const end = (n: number): Record<number, number> => Object.fromEntries(Array.from({ length: PARTITIONS }, (_, p) => [p, Math.ceil((n - p) / PARTITIONS)]));
    const ev = source({ name: 'ev', time: 'ts', maxOutOfOrderness: '1 second', live: { topic, startAt: 'earliest' }, schema: { ts: 'TIMESTAMP', g: 'VARCHAR', v: 'BIGINT' } });
    const q = await sql(`SELECT window_start, count(*) AS n, sum(v) AS sv FROM TUMBLE(ev, ts, '1 minute') GROUP BY ALL`, { sources: [ev], kafka, until: { offsets: end(total + trailer) }, onWarning: () => undefined });
    try {
      // 1. the poisoned stream, while the query runs
      const t0 = performance.now();
      await produceRange(kafka, topic, 0, total);
      const produceMs = since(t0);
      await q.processedUpTo(end(total));
      const processMs = since(t0);
      const s = q.stats();
      assert.equal(s.phase, 'live', 'alive after the poison');
      assert.equal(s.deadLetters, BAD);
      assert.equal(s.events, GOOD);
      // 2. good records after it are still taken; the run ends at its bound
      await produceRange(kafka, topic, total, total + trailer);
      const rows = await q.collect();
      const final = q.stats();
      assert.equal(final.events, GOOD + trailer, 'every good record counted');
      // 3. every bad record in the dead-letter table, at its offset, with the reason of its kind
      const dead = await q.deadLetters();
      const expected = new Map<string, { kind: Kind; reason: string }>();
      for (let i = 0; i < total + trailer; i++) {
        const kind = kindOf(i);
        if (kind !== 'good') expected.set(`${i % PARTITIONS}:${Math.floor(i / PARTITIONS)}`, { kind, reason: reasonOf(kind, i) });
      }
      assert.equal(dead.length, expected.size);
      const byKind = new Map<Kind, number>();
      let wrong = 0;
      for (const d of dead) {
        const e = expected.get(`${String(d.partition)}:${String(d.offset)}`);
        if (!e || d.reason !== e.reason) {
          if (wrong++ < 3) assert.fail(`dead letter at ${String(d.partition)}:${String(d.offset)}: ${String(d.reason)} (expected ${e ? `${e.kind}: ${e.reason}` : 'a good record'})`);
          continue;
        }
        if (e.kind.startsWith('1 MB')) assert.equal(String(d.value).length > MB - 50, true, 'a 1 MB value is kept whole');
        if (e.kind === 'tombstone') assert.equal(d.key, `k${(Number(d.offset) * PARTITIONS + Number(d.partition) - 10) / 11}`);
        byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
      }
      // 4. the good records in their windows
      const want = new Map<number, { n: number; sv: number }>();
      for (let i = 0; i < total + trailer; i++) {
        if (kindOf(i) !== 'good') continue;
        const ws = Math.floor((BASE + i * STEP_MS) / 60_000) * 60_000;
        const w = want.get(ws) ?? { n: 0, sv: 0 };
        want.set(ws, { n: w.n + 1, sv: w.sv + (i % 1000) });
      }
      let lost = 0;
      let duplicated = 0;
      for (const r of rows) {
        const d = Number(r.values.n) - (want.get(r.windowStart)?.n ?? 0);
        if (d > 0) duplicated += d;
        else lost -= d;
      }
      lost += [...want.keys()].filter((ws) => !rows.some((r) => r.windowStart === ws)).reduce((a, ws) => a + want.get(ws)!.n, 0);
      assert.deepEqual({ lost, duplicated }, { lost: 0, duplicated: 0 });
      assert.equal(rows.length, want.size);
      for (const r of rows) assert.equal(Number(r.values.sv), want.get(r.windowStart)!.sv);
      recordFault('poison', {
        done: `${GOOD.toLocaleString('en')} good JSON records and ${BAD.toLocaleString('en')} bad ones, every 11th, over ${PARTITIONS} partitions: ${[...byKind].map(([k, n]) => `${n.toLocaleString('en')} ${k}`).join(', ')}`,
        saw: `stats().deadLetters ${final.deadLetters.toLocaleString('en')} next to the result; deadLetters() lists each with partition, offset, key, value and reason ("malformed JSON", "column v: expected BIGINT, got …", "missing event time \\"ts\\"", "not a JSON object", "empty value", "value is not valid UTF-8"); the query stayed live and took the records after the poison`,
        lost,
        duplicated,
        recoveryMs: null,
        recovery: `nothing to recover: ${(total / 1000).toFixed(0)}k records produced in ${(produceMs / 1000).toFixed(1)} s and read in ${(processMs / 1000).toFixed(1)} s from the first send`,
        details: { good: final.events, deadLetters: final.deadLetters, windows: rows.length, produceMs, processMs, ...Object.fromEntries(byKind) },
      });
    } finally {
      await q.close();
    }
  });
});
