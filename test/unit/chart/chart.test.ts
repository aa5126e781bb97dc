import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chart, CHART_MIME, type ChartPayload, type ToFrontend } from '../../../src/chart/index.js';
import { asAsync, minuteCounts, row } from './fixtures.js';
import { RecordingHost } from './recording-host.js';

const spec = { mark: 'bar', encoding: { x: { field: 'window_start', type: 'temporal' }, y: { field: 'n', type: 'quantitative' } } };

function payload(bundle: Record<string, unknown> | undefined): ChartPayload {
  return bundle?.[CHART_MIME] as ChartPayload;
}

test('plain data: draws every record, no notebook needed', async () => {
  const c = chart([{ x: 'a', y: 1 }, { x: 'b', y: 3 }], { mark: 'bar', encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } } }, { display: false });
  const result = await c.done;
  assert.deepEqual(result, { state: 'finished', rows: 2, windows: 2, late: 0, rejected: 0 });
  const svg = await c.svg();
  assert.equal((svg.match(/role-mark marks/g) ?? []).length, 1);
  assert.equal((svg.match(/<path aria-label="x: /g) ?? []).length, 2);
  const png = await c.png();
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('in a notebook: display_data first, then throttled update_display_data with the same display_id', async () => {
  const host = new RecordingHost();
  const rows = minuteCounts(300, ['AA', 'UA']);
  const c = chart(asAsync(rows), spec, { host, updatesPerSecond: 4 });
  await c.done;
  const [first, ...rest] = host.shown;
  assert.ok(first && !first.update && first.displayId?.startsWith('windowpane-chart-'));
  assert.ok(rest.length >= 1 && rest.every((s) => s.update && s.displayId === first.displayId));
  // 602 rows arrive in a few milliseconds: only a handful of bundles go out.
  assert.ok(host.shown.length < 10, `sent ${host.shown.length} bundles`);
  const last = host.shown.at(-1)?.data;
  assert.equal(payload(last).state, 'finished');
  assert.equal(payload(last).values.length, 600);
  assert.ok(typeof last?.['image/svg+xml'] === 'string' && typeof last['image/png'] === 'string');
  assert.match(String(last['text/plain']), /^<chart: .*300 windows · 6 late events · finished>$/);
});

test('an interrupt stops the chart and the final snapshot says so', async () => {
  const host = new RecordingHost();
  let produced = 0;
  async function* endless() {
    for (let i = 0; ; i++) {
      produced++;
      yield row(i, 'provisional', { n: i });
      if (i === 20) host.interrupt();
      await new Promise((r) => setImmediate(r));
    }
  }
  const c = chart(endless(), spec, { host });
  const result = await c.done;
  assert.equal(result.state, 'interrupted');
  assert.ok(produced < 30);
  assert.equal(payload(host.shown.at(-1)?.data).state, 'interrupted');
});

test('an interrupt also stops the query behind the chart', async () => {
  const host = new RecordingHost();
  let stopped = 0;
  const query = {
    async *changelog() {
      for (let i = 0; ; i++) {
        yield { rows: [row(i, 'provisional', { n: i })], watermark: null, phase: 'live' as const };
        if (i === 3) host.interrupt();
        await new Promise((r) => setImmediate(r));
      }
    },
    stop: () => {
      stopped++;
      return Promise.resolve();
    },
  };
  const c = chart(query, spec, { host });
  assert.equal((await c.done).state, 'interrupted');
  assert.equal(stopped, 1);
  const kept = chart(query, spec, { host: new RecordingHost(), stopQuery: false });
  kept.stop();
  assert.equal((await kept.done).state, 'interrupted');
  assert.equal(stopped, 1);
});

test("the summary line counts the query's late events and bad records (Query.stats())", async () => {
  const query = { changelog: () => asAsync([row(0, 'final', { n: 1 })]), stats: () => ({ late: 7, deadLetters: 2, events: 10 }) };
  const c = chart(query, spec, { display: false });
  await c.done;
  assert.equal(c.summaryText(), '1 final\n1 window · 7 late events · 2 bad records · finished');
  assert.match(await c.svg(), /7 late events · 2 bad records · finished/);
});

test('a failing source ends the chart as failed and rejects done; bad items are counted and kept', async () => {
  const host = new RecordingHost();
  async function* failing() {
    yield row(0, 'final', { n: 1 });
    yield 42;
    await Promise.resolve();
    throw new Error('broker went away');
  }
  const c = chart(failing(), spec, { host });
  await assert.rejects(c.done, /broker went away/);
  assert.equal(c.state, 'failed');
  assert.deepEqual(c.rejected, [42]);
  assert.match(payload(host.shown.at(-1)?.data).summary, /failed: broker went away/);
});

test('a renderer attached over a comm gets reset, coalesced changes and end', async () => {
  const host = new RecordingHost();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  async function* rows() {
    yield row(0, 'provisional', { n: 1 });
    await gate;
    yield row(0, 'provisional', { n: 2 });
    yield row(0, 'final', { n: 3 });
    yield row(1, 'provisional', { n: 1 });
  }
  const c = chart(rows(), spec, { host, retain: 1 });
  while (c.model.size === 0) await new Promise((r) => setImmediate(r));
  const comm = host.openFromFrontend('windowpane.chart', { chartId: c.id });
  release();
  await c.done;
  const sent = comm.sent as ToFrontend[];
  assert.equal(sent[0]?.type, 'reset');
  assert.equal(sent.at(-1)?.type, 'end');
  const changes = sent.filter((m): m is Extract<ToFrontend, { type: 'changes' }> => m.type === 'changes');
  // Window 0 was replaced twice and then evicted by retention: the renderer only needs the outcome.
  const upserts = changes.flatMap((m) => m.upsert.map((t) => `${t.key}:${t.kind}`));
  const removes = changes.flatMap((m) => m.remove);
  assert.deepEqual(removes, [row(0, 'final', {}).key]);
  assert.deepEqual(upserts, [`${row(1, 'final', {}).key}:provisional`]);
  assert.ok(comm.closed);
});

test('the kernel opens a comm per chart (it works while the cell runs) and streams the changes on it', async () => {
  const host = new RecordingHost();
  const c = chart(asAsync(minuteCounts(5, ['AA'])), spec, { host });
  await c.done;
  assert.equal(host.opened.length, 1);
  const { comm, data } = host.opened[0]!;
  assert.equal(comm.targetName, 'windowpane.chart');
  assert.deepEqual(data, { chartId: c.id });
  const sent = comm.sent as ToFrontend[];
  assert.equal(sent[0]?.type, 'reset');
  assert.deepEqual(sent.at(-1), { type: 'end', state: 'finished', summary: c.summaryText() });
  const keys = new Set(sent.flatMap((m) => (m.type === 'changes' ? m.upsert.map((t) => t.key) : m.type === 'reset' ? m.values.map((t) => t.key) : [])));
  assert.equal(keys.size, 5);
  assert.ok(comm.closed);
});

test('large changesets travel as Arrow IPC on the comm and read back as the rows the model holds', async () => {
  const host = new RecordingHost();
  const rows = minuteCounts(400, ['AA', 'UA', 'DL']);
  const c = chart(asAsync(rows), spec, { host });
  await c.done;
  const { comm } = host.opened[0]!;
  assert.ok(comm.buffers.some((b) => b.length === 1), 'some message carried its rows as Arrow');
  const received = comm.received();
  assert.ok(received.every((m) => m !== undefined), 'every message passes the renderer\'s check');
  const held = new Map<string, unknown>();
  for (const m of received) {
    if (m?.type === 'reset') for (const t of m.values) held.set(t.key, t);
    if (m?.type === 'changes') {
      for (const k of m.remove) held.delete(k);
      for (const t of m.upsert) held.set(t.key, t);
    }
  }
  assert.deepEqual([...held.values()].sort((a, b) => ((a as { key: string }).key < (b as { key: string }).key ? -1 : 1)), c.model.values().sort((a, b) => (a.key < b.key ? -1 : 1)));
});

test('a headless kernel opens no comm (nobody renders live) and still shows the final snapshot', async () => {
  const host = new RecordingHost(true);
  const c = chart(asAsync(minuteCounts(5, ['AA'])), spec, { host });
  await c.done;
  assert.equal(host.opened.length, 0);
  const last = host.shown.at(-1)!;
  assert.equal(last.displayId, host.shown[0]!.displayId);
  assert.match(String(last.data['image/svg+xml']), /<svg/);
});

test('a comm for a chart the kernel no longer runs is answered "unknown" and closed', async () => {
  const host = new RecordingHost();
  const c = chart([{ a: 1 }], { mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } }, { host });
  await c.done;
  const comm = host.openFromFrontend('windowpane.chart', { chartId: c.id });
  assert.deepEqual(comm.sent, [{ type: 'unknown', chartId: c.id }]);
  assert.ok(comm.closed);
});

test('bad options are refused with the catalogue message', () => {
  assert.throws(() => chart([], spec, { retain: 0 }), /invalid chart option retain: 0/);
  assert.throws(() => chart(5 as never, spec), /cannot draw a number/);
});
