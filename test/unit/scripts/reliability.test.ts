/** RELIABILITY.md's figures are rendered from the fault tier's JSON and the soak's, between markers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error -- a plain Node script without type declarations
import { faultTable, fill, ROWS, soakSection } from '../../../scripts/reliability.mjs';

const table = faultTable as (figures: unknown) => string;
const soak = soakSection as (figures: unknown) => string;
const put = fill as (page: string, name: string, body: string) => string;

test('a row per fault, in order, with the counts, the recovery time and a note for a fault not measured', () => {
  const md = table({
    machine: { cpus: 2, cpu: 'CPU', node: 'v20', platform: 'linux x64' },
    faults: {
      'broker-kill': { done: 'kill -9 | restart', saw: 'a warning', lost: 0, duplicated: 0, recoveryMs: 3805, recovery: 'to reading again', at: '2026-12-07T12:00:00Z' },
      poison: { done: 'poison', saw: 'dead letters', lost: 0, duplicated: 0, recoveryMs: null, recovery: 'nothing to recover', at: '2026-12-07T12:30:00Z' },
      'spill-full': { done: 'full', saw: 'ResourceError', lost: null, duplicated: null, recoveryMs: 949, recovery: 'next cell', at: '2026-12-07T12:10:00Z' },
      'interrupt-live': { done: 'interrupt', saw: 'KeyboardInterrupt', lost: 0, duplicated: 0, recoveryMs: 20, recovery: 'reply', at: '2026-12-07T12:20:00Z' },
    },
  });
  const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| fault') && !l.startsWith('| ---'));
  assert.equal(rows.length, (ROWS as unknown[]).length);
  assert.equal(rows[0], '| Broker `kill -9` during a live query, restarted after a pause | kill -9 \\| restart | a warning | **0** | **0** | **3.8 s**: to reading again |');
  assert.match(rows[1]!, /not measured in the last run/);
  assert.match(rows[3]!, /\| \*\*0\*\* \| \*\*0\*\* \| nothing to recover \|$/);
  assert.match(rows[5]!, /\| \*\*n\/a\*\* \| \*\*n\/a\*\* \| \*\*949 ms\*\*: next cell \|$/);
  assert.match(rows[7]!, /\*\*20 ms\*\*: reply/);
  assert.match(md, /Measured by the fault tier on 2026-12-07 \(2 × CPU, Node v20, linux x64\)/);
});

test('the soak section gives each series its slope and range, and the plot', () => {
  const md = soak({
    at: '2026-12-07T13:00:00Z', minutes: 10, rate: 5000, keys: 1000, sampleSeconds: 10, warmUpSeconds: 120, events: 3_000_000, changelogRows: 600_000, lastLagEvents: 12,
    series: { 'process RSS': { slopeMBPerMin: -0.4, meanMB: 300, minMB: 290, maxMB: 310 }, 'DuckDB memory': { slopeMBPerMin: 0.01, meanMB: 6.2, minMB: 6, maxMB: 6.5 } },
  });
  assert.match(md, /\| process RSS \| \*\*-0\.40 MB\/min\*\* \| 300\.0 MB \(290\.0–310\.0\) \|/);
  assert.match(md, /\| DuckDB memory \| \*\*\+0\.01 MB\/min\*\* \|/);
  assert.match(md, /!\[Memory during the soak run\]\(docs\/img\/soak-memory\.svg\)/);
});

test('figures go between the markers; the prose around them stays', () => {
  const page = 'intro\n<!-- faults:begin -->\nold\n<!-- faults:end -->\nafter\n';
  assert.equal(put(page, 'faults', 'new'), 'intro\n<!-- faults:begin -->\nnew\n<!-- faults:end -->\nafter\n');
  assert.throws(() => put('no markers', 'soak', 'x'), /no <!-- soak:begin -->/);
});
