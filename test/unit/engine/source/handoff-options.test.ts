/** The hand-off options of a source: startAt, live.handoff, their validation; times as users write them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, source } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';
import { parseTime } from '../../../../src/engine/source/time.js';
import { assertProvenance } from '../../../../src/engine/provenance/verify.js';

const schema = { ts: 'TIMESTAMP', v: 'BIGINT' };
const history = { parquet: 'h.parquet' };

test('times: epoch ms, Date, ISO-8601 with or without a zone (UTC)', () => {
  const ms = Date.UTC(2024, 0, 1, 12);
  assert.equal(parseTime(ms, 't'), ms);
  assert.equal(parseTime(new Date(ms), 't'), ms);
  assert.equal(parseTime('2024-01-01T12:00:00Z', 't'), ms);
  assert.equal(parseTime('2024-01-01T12:00:00', 't'), ms);
  assert.equal(parseTime('2024-01-01T13:00:00+01:00', 't'), ms);
  assert.equal(parseTime('2024-01-01', 't'), Date.UTC(2024, 0, 1));
  assert.throws(() => parseTime('yesterday', 'live.startAt.timestamp of source ev'), (e: unknown) => e instanceof ConfigError && e.message === messages.invalidTime('live.startAt.timestamp of source ev', '"yesterday"'));
});

test('startAt { timestamp } and live.handoff become the spec; the boundary is epoch ms', () => {
  const a = source({ name: 'ev', time: 'ts', history, live: { topic: 't', startAt: { timestamp: '2024-01-01T00:00:00Z' } }, schema });
  assert.deepEqual(a.spec.live?.startAt, { timestamp: Date.UTC(2024, 0, 1) });
  const b = source({ name: 'ev', time: 'ts', history, live: { topic: 't', handoff: { boundary: Date.UTC(2024, 0, 2), maxGap: '2 hours' } }, schema });
  assert.deepEqual(b.spec.live?.handoff, { boundaryMs: Date.UTC(2024, 0, 2), maxGapMs: 7_200_000 });
  const c = source({ name: 'ev', time: 'ts', live: { topic: 't', startAt: { timestamp: 0 } }, schema });
  assert.deepEqual(c.spec.live?.startAt, { timestamp: 0 });
});

test('hand-off options that cannot work are named with the fix', () => {
  const bad = (live: unknown, withHistory: unknown, why: RegExp) =>
    assert.throws(
      () => source({ name: 'ev', time: 'ts', ...(withHistory ? { history: withHistory as typeof history } : {}), live: live as { topic: string }, schema }),
      (e: unknown) => e instanceof ConfigError && e.code === 'invalid-source' && why.test(e.message),
    );
  bad({ topic: 't', handoff: { boundary: 0 } }, undefined, /^invalid option "live.handoff" of source ev: the time hand-off follows file, table or query history; this source has no history\.$/);
  bad({ topic: 't', handoff: { boundary: 0 } }, { kafkaBacklog: true }, /the topic backlog, which hands off at exact offsets/);
  bad({ topic: 't', startAt: { timestamp: 0 }, handoff: { boundary: 0 } }, history, /give the boundary once: either live.startAt \{ timestamp \} or live.handoff.boundary/);
  bad({ topic: 't', startAt: 'end', handoff: { maxGap: '1 hour' } }, history, /live.startAt "end" starts at offsets, not by time; remove live.handoff or startAt/);
  bad({ topic: 't', handoff: { boundry: 0 } }, history, /unknown option boundry \(it takes boundary and maxGap\)/);
  bad({ topic: 't', startAt: 'latest' }, history, /^invalid option "live.startAt" of source ev: "latest" is not one of 'end', 'earliest'/);
  bad({ topic: 't', startAt: { offsets: { 0: -1 } } }, history, /offsets must map partition numbers to offsets, got 0: -1/);
  assert.throws(() => source({ name: 'ev', time: 'ts', history, live: { topic: 't', startAt: { timestamp: 'noon' } }, schema }), /^ConfigError: invalid live.startAt.timestamp of source ev: "noon"/);
  assert.throws(() => source({ name: 'ev', time: 'ts', history, live: { topic: 't', handoff: { maxGap: 'soon' } }, schema }), /invalid live.handoff.maxGap of source ev: "soon"/);
});

test('a provenance is checked at the edge', () => {
  const bad = (x: unknown, why: RegExp) => assert.throws(() => assertProvenance(x), (e: unknown) => e instanceof ConfigError && e.code === 'provenance-invalid' && why.test(e.message));
  bad(null, /^invalid provenance: expected an object, got null\. Pass the object query\.provenance\(\) returned/);
  bad({ format: 'other' }, /format is "other", expected "windowpane.provenance\/1"/);
  const ok = { format: 'windowpane.provenance/1', query: { plan: { kind: 'scan' } }, run: { flush: true } };
  assert.doesNotThrow(() => assertProvenance(ok));
  bad({ ...ok, kafka: { topic: 't', offsets: { 0: [5] }, handoff: {} } }, /kafka.offsets\["0"\] must be \[from, to\]/);
});
