/**
 * Join errors name the thing at fault and suggest the fix: a missing table, a bad key (stream side,
 * table side, either input of an interval join), a duplicate table key, bounds in the wrong order.
 * History-only sources, so no broker is needed; DuckDB is real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { from, intervalJoin, source, sql, tumble } from '../../../../src/index.js';
import { messages } from '../../../../src/messages.js';

const dir = mkdtempSync(join(tmpdir(), 'windowpane-join-errors-'));
const tx = join(dir, 'tx.parquet');
const profiles = join(dir, 'profiles.parquet');
const dupes = join(dir, 'dupes.parquet');

test.before(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE AS ts, 'c' || (i % 3) AS card, i AS amount FROM range(20) t(i)) TO '${tx}' (FORMAT parquet)`);
  await c.run(`COPY (SELECT 'c' || i AS card, 'gold' AS tier FROM range(3) t(i)) TO '${profiles}' (FORMAT parquet)`);
  await c.run(`COPY (SELECT 'c1' AS card, 'gold' AS tier UNION ALL SELECT 'c1', 'silver') TO '${dupes}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
});

const txSource = () => source({ name: 'tx', time: 'ts', history: { parquet: tx } });

test('a SQL join with a table that is not in the DuckDB instance names it, with a caret', async () => {
  const text = `SELECT window_start, p.tier, count(*) AS n\n  FROM TUMBLE(tx, ts, '10 minutes') t JOIN profilez p ON t.card = p.card\n GROUP BY ALL`;
  await assert.rejects(sql(text, { sources: [txSource()] }), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'table-missing');
    const line = "  FROM TUMBLE(tx, ts, '10 minutes') t JOIN profilez p ON t.card = p.card";
    assert.equal(e.message, messages.tableMissing('profilez', `${line}\n${' '.repeat(line.indexOf('profilez'))}^^^^^^^^`));
    return true;
  });
});

test('enrich(): a key the table or the stream lacks, a duplicate table key, a missing table', async () => {
  const base = () => from(txSource());
  await assert.rejects(
    base().enrich({ parquet: profiles }, { on: 'amount' }).window(tumble('ts', '10 minutes')).aggregate({ n: 'count(*)' }).run(),
    (e: Error & { code?: string }) => e.code === 'enrich-key' && e.message === messages.enrichKeyMissing('amount', `the table (parquet ${profiles})`, 'card, tier'),
  );
  const withoutKey = from(source({ name: 'tx', time: 'ts', history: { query: `SELECT ts, amount FROM '${tx}'` } }));
  await assert.rejects(
    withoutKey.enrich({ parquet: profiles }, { on: 'card' }).window(tumble('ts', '10 minutes')).aggregate({ n: 'count(*)' }).run(),
    (e: Error & { code?: string }) => e.code === 'enrich-key' && e.message.includes('"card" is not a column of the stream'),
  );
  await assert.rejects(
    base().enrich({ parquet: dupes }, { on: 'card' }).window(tumble('ts', '10 minutes')).aggregate({ n: 'count(*)' }).run(),
    (e: Error & { code?: string }) => e.code === 'enrich-duplicate-key' && e.message === messages.enrichDuplicateKey(`parquet ${dupes}`, 'card = c1'),
  );
  await assert.rejects(
    base().enrich('no_such_table', { on: 'card' }).window(tumble('ts', '10 minutes')).aggregate({ n: 'count(*)' }).run(),
    (e: Error & { code?: string }) => e.code === 'enrich-table-unreadable' && e.message.startsWith('cannot read the enrichment table (table no_such_table)'),
  );
  assert.throws(() => base().enrich({ parquet: profiles }, { on: [] }), (e: Error & { code?: string }) => e.code === 'enrich-on');
});

test('intervalJoin: lower after upper, a key one input lacks, a bad condition, offsets as a bound', async () => {
  const a = txSource();
  const b = source({ name: 'pay', time: 'ts', history: { query: `SELECT ts, card AS card_id, amount FROM '${tx}'` } });
  assert.throws(() => intervalJoin(a, b, { on: 'card', lower: '10 minutes', upper: '0s' }), (e: Error & { code?: string }) => e.code === 'join-interval' && e.message === messages.joinInterval('10 minutes', '0s'));
  assert.throws(() => intervalJoin(a, b, { on: ['card', '1bad'], lower: 0, upper: 0 }), (e: Error & { code?: string }) => e.code === 'join-on');
  assert.throws(() => intervalJoin(from(a).window(tumble('ts', '1 minute')), b, { on: 'card', lower: 0, upper: 0 }), (e: Error & { code?: string }) => e.code === 'join-input');
  const byKey = intervalJoin(a, b, { on: 'card', lower: '0s', upper: '5 minutes' });
  await assert.rejects(
    sql(`SELECT window_start, count(*) AS n FROM TUMBLE(tx_pay, ts, '10 minutes') GROUP BY ALL`, { sources: [byKey] }),
    (e: Error & { code?: string }) => e.code === 'join-key' && e.message === messages.joinKeyMissing('card', 'b', 'pay', 'ts, card_id, amount, _key, _partition, _offset, _timestamp, _headers'),
  );
  const badSql = intervalJoin(a, b, { on: 'a.card = b.card', lower: '0s', upper: '5 minutes', name: 'j' });
  await assert.rejects(sql(`SELECT window_start, count(*) AS n FROM TUMBLE(j, ts, '10 minutes') GROUP BY ALL`, { sources: [badSql] }), (e: Error & { code?: string }) => e.code === 'join-on' && e.message.startsWith('the join condition a.card = b.card is not valid'));
  const good = intervalJoin(a, b, { on: 'a.card = b.card_id', lower: '0s', upper: '5 minutes', name: 'j' });
  await assert.rejects(sql(`SELECT window_start, count(*) AS n FROM TUMBLE(j, ts, '10 minutes') GROUP BY ALL`, { sources: [good], until: { offsets: { 0: 1 } } }), (e: Error & { code?: string }) => e.code === 'invalid-until');
  // and the same join, correctly written, runs: the row at minute i meets pay rows i and i + 3 (same card, within 5 minutes)
  const q = await sql(`SELECT window_start, count(*) AS n FROM TUMBLE(j, ts, '10 minutes') GROUP BY ALL`, { sources: [good] });
  const rows = await q.collect();
  await q.close();
  assert.deepEqual(rows.map((r) => r.values.n), [20, 17]);
  // several keys: each tx row meets exactly its own copy (same card and amount, same time; b's keys are not repeated, its ts is copy_ts)
  const copy = source({ name: 'copy', time: 'ts', history: { parquet: tx } });
  const q2 = await sql(`SELECT window_start, count(*) AS n, sum(amount) AS s, max(copy_ts - ts) AS d FROM TUMBLE(k, ts, '10 minutes') GROUP BY ALL`, {
    sources: [intervalJoin(a, copy, { on: ['card', 'amount'], lower: 0, upper: 0, name: 'k', rightPrefix: 'copy_' })],
  });
  const rows2 = await q2.collect();
  await q2.close();
  assert.deepEqual(rows2.map((r) => [r.values.n, r.values.s]), [[10, 45], [10, 145]]);
});
