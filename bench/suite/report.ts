/**
 * The suite's results as data (BENCHMARKS.json) and as a page (BENCHMARKS.md). A section is one
 * case: a table whose rows are workloads and whose columns are the systems measured in the same
 * run; a cell is a figure (median, min, max over repeats), a note, or why it is missing.
 */
import { summarize, type Summary } from '../stats.js';

export type Cell =
  | { readonly kind: 'figure'; readonly summary: Summary; readonly unit: string; readonly digits: number }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'missing'; readonly reason: string };

export interface Row {
  readonly name: string;
  readonly cells: Readonly<Record<string, Cell>>;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  /** Column names: systems. The first is Windowpane. */
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  /** Ratio column: ours / this column's median. */
  readonly ratioTo?: string;
  readonly higherIsBetter: boolean;
  /** Replaces the higher/lower-is-better line when rows differ in direction. */
  readonly direction?: string;
  readonly notes: readonly string[];
}

export interface Report {
  readonly generatedAt: string;
  readonly durationS: number;
  readonly scale: string;
  readonly machine: Readonly<Record<string, string>>;
  readonly sections: readonly Section[];
  readonly appendix: readonly { readonly title: string; readonly text: string }[];
  /** Sections measured by a later partial run (--only with --merge), with when. */
  readonly reruns?: readonly { readonly section: string; readonly at: string }[];
}

export const figure = (values: readonly number[], unit: string, digits = 0): Cell =>
  values.length === 0 ? { kind: 'missing', reason: 'no measurement' } : { kind: 'figure', summary: summarize(values), unit, digits };

export const missing = (reason: string): Cell => ({ kind: 'missing', reason });

const num = (x: number, digits: number): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function renderCell(c: Cell | undefined): string {
  if (!c) return '';
  switch (c.kind) {
    case 'figure': {
      const s = c.summary;
      return s.n === 1 ? `${num(s.median, c.digits)} ${c.unit} (n=1)` : `**${num(s.median, c.digits)}** ${c.unit} (${num(s.min, c.digits)}–${num(s.max, c.digits)}, n=${s.n})`;
    }
    case 'text': return c.text;
    case 'missing': return `— *${c.reason.replace(/\|/g, '\\|').replace(/\n/g, ' ')}*`;
  }
}

function ratio(section: Section, row: Row): string {
  if (!section.ratioTo) return '';
  const a = row.cells[section.columns[0]!];
  const b = row.cells[section.ratioTo];
  if (a?.kind !== 'figure' || b?.kind !== 'figure' || b.summary.median === 0) return '';
  return `${(a.summary.median / b.summary.median).toFixed(2)}×`;
}

export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  out.push('# Windowpane benchmarks', '');
  out.push(`Written by \`npm run bench\` (bench/suite/main.ts) on ${r.generatedAt}, scale \`${r.scale}\`, in ${Math.round(r.durationS)} s.`);
  for (const x of r.reruns ?? []) out.push(`The \`${x.section}\` section was measured again by a partial run (\`--only=${x.section} --merge\`) on ${x.at}, on the same machine; the other sections are from the run above.`);
  out.push('Every figure is the median of repeated runs, with min–max and the number of runs; every peer was measured in the same run on the same machine and data. Nothing here asserts a timing. The raw numbers are in BENCHMARKS.json.', '');
  out.push('## Machine and versions', '', '| | |', '| --- | --- |');
  for (const [k, v] of Object.entries(r.machine)) out.push(`| ${k} | ${v.replace(/\|/g, '\\|')} |`);
  for (const s of r.sections) {
    out.push('', `## ${s.title}`, '');
    const ratioHead = s.ratioTo ? ` Windowpane / ${s.ratioTo} |` : '';
    out.push(`| case | ${s.columns.join(' | ')} |${ratioHead}`);
    out.push(`| --- |${s.columns.map(() => ' --- |').join('')}${s.ratioTo ? ' --- |' : ''}`);
    for (const row of s.rows) out.push(`| ${row.name} | ${s.columns.map((c) => renderCell(row.cells[c])).join(' | ')} |${s.ratioTo ? ` ${ratio(s, row)} |` : ''}`);
    out.push('', `*${s.direction ?? (s.higherIsBetter ? 'Higher is better.' : 'Lower is better.')}*`);
    for (const n of s.notes) out.push('', n);
  }
  for (const a of r.appendix) out.push('', `## ${a.title}`, '', a.text.trim());
  return out.join('\n') + '\n';
}
