#!/usr/bin/env node
// Renders RELIABILITY.md's figures from what was measured, so that none is typed by hand:
//   - the fault table from test-results/faults.json, written by the fault tier (test/faults/,
//     `node scripts/test.mjs faults`), copied to RELIABILITY.json beside the page;
//   - the soak's memory slopes from docs/img/soak-memory.json, written with its plot by bench/soak.ts.
// Each goes between its markers in RELIABILITY.md (<!-- faults:begin --> … <!-- faults:end -->,
// <!-- soak:begin --> … <!-- soak:end -->); the prose around them is the page's own.
//
//   npm run reliability        (node scripts/reliability.mjs [--check])
//   --check: exit 1 if the page is not what the figures render to (nothing is written)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The faults in the page's order, with the name of each row. */
export const ROWS = [
  ['broker-kill', 'Broker `kill -9` during a live query, restarted after a pause'],
  ['broker-kill-sink', 'The same, for a query writing through `kafkaSink`'],
  ['broker-gone', 'The broker never comes back'],
  ['poison', 'Poison: 100,000 bad records among 1,000,000'],
  ['schema-drift', 'Schema drift mid-stream'],
  ['spill-full', 'The spill folder fills up'],
  ['interrupt-history', 'Interrupt during a history query'],
  ['interrupt-live', 'Interrupt during a live query'],
];

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const count = (n) => (n === null || n === undefined ? 'n/a' : n.toLocaleString('en'));
const seconds = (ms) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** The fault table (markdown) for the figures of one run. */
export function faultTable(figures) {
  const lines = ['| fault | what was done | what the user saw | lost | duplicated | recovery time |', '| --- | --- | --- | --- | --- | --- |'];
  for (const [id, name] of ROWS) {
    const f = figures.faults?.[id];
    if (!f) {
      lines.push(`| ${cell(name)} | *not measured in the last run of the fault tier* | | | | |`);
      continue;
    }
    const recovery = f.recoveryMs === null ? cell(f.recovery) : `**${seconds(f.recoveryMs)}**: ${cell(f.recovery)}`;
    lines.push(`| ${cell(name)} | ${cell(f.done)} | ${cell(f.saw)} | **${count(f.lost)}** | **${count(f.duplicated)}** | ${recovery} |`);
  }
  const m = figures.machine ?? {};
  const dates = Object.values(figures.faults ?? {}).map((f) => f.at).filter(Boolean).sort();
  lines.push('', `*Measured by the fault tier on ${dates.at(-1)?.slice(0, 10) ?? 'an unknown date'} (${m.cpus ?? '?'} × ${m.cpu ?? '?'}, Node ${m.node ?? '?'}, ${m.platform ?? '?'}); every figure is in [RELIABILITY.json](RELIABILITY.json).*`);
  return lines.join('\n');
}

/** The soak's slopes (markdown) and its plot. */
export function soakSection(soak) {
  const lines = [
    `A ${soak.minutes}-minute live run at ${soak.rate.toLocaleString('en')} events/s over ${soak.keys.toLocaleString('en')} keys (${soak.events.toLocaleString('en')} events, ${soak.changelogRows.toLocaleString('en')} changelog rows), memory sampled every ${soak.sampleSeconds} s; slopes are least squares over the samples after the warm-up (the first ${soak.warmUpSeconds} s). Lag behind the producer at the last sample: ${soak.lastLagEvents.toLocaleString('en')} events.`,
    '',
    '| series | slope after warm-up | mean (min–max) after warm-up |',
    '| --- | --- | --- |',
  ];
  for (const [name, s] of Object.entries(soak.series)) {
    lines.push(`| ${name} | **${s.slopeMBPerMin >= 0 ? '+' : ''}${s.slopeMBPerMin.toFixed(2)} MB/min** | ${s.meanMB.toFixed(1)} MB (${s.minMB.toFixed(1)}–${s.maxMB.toFixed(1)}) |`);
  }
  lines.push('', '![Memory during the soak run](docs/img/soak-memory.svg)', '', `*Measured by \`node --import tsx bench/soak.ts\` on ${soak.at.slice(0, 10)}; the samples are in [docs/img/soak-memory.json](docs/img/soak-memory.json).*`);
  return lines.join('\n');
}

/** The page with the text between each pair of markers replaced. */
export function fill(page, name, body) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const i = page.indexOf(begin);
  const j = page.indexOf(end);
  if (i < 0 || j < i) throw new Error(`RELIABILITY.md has no ${begin} … ${end} markers`);
  return `${page.slice(0, i + begin.length)}\n${body}\n${page.slice(j)}`;
}

function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const check = process.argv.includes('--check');
  const pagePath = join(root, 'RELIABILITY.md');
  const measured = join(root, 'test-results', 'faults.json');
  const kept = join(root, 'RELIABILITY.json');
  const source = !check && existsSync(measured) ? measured : kept;
  if (!existsSync(source)) {
    console.error(`no fault figures: run the fault tier first (node scripts/test.mjs faults), which writes ${measured}`);
    process.exit(1);
  }
  const figuresText = readFileSync(source, 'utf8');
  const soak = JSON.parse(readFileSync(join(root, 'docs', 'img', 'soak-memory.json'), 'utf8'));
  const before = readFileSync(pagePath, 'utf8');
  const page = fill(fill(before, 'faults', faultTable(JSON.parse(figuresText))), 'soak', soakSection(soak));
  if (check) {
    if (page !== before) {
      console.error('RELIABILITY.md is not what RELIABILITY.json and docs/img/soak-memory.json render to: run npm run reliability');
      process.exit(1);
    }
    return;
  }
  writeFileSync(pagePath, page);
  if (source !== kept) writeFileSync(kept, figuresText);
  console.log(`RELIABILITY.md rendered from ${source === kept ? 'RELIABILITY.json' : 'test-results/faults.json (copied to RELIABILITY.json)'} and docs/img/soak-memory.json`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
