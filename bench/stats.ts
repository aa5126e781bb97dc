/** Small helpers shared by the benchmarks: repeated measurement and a printed summary. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function fmt(s: Summary, unit: string, digits = 1): string {
  return `${s.median.toFixed(digits)} ${unit} (min ${s.min.toFixed(digits)}, max ${s.max.toFixed(digits)}, n=${s.n})`;
}

/** Prints a table of rows: case, ours, baseline, ratio. */
export function printTable(title: string, rows: readonly { case: string; ours: string; baseline: string; ratio?: number }[]): void {
  console.log(`\n## ${title}\n`);
  console.log('| case | windowpane | baseline | ratio |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.case} | ${r.ours} | ${r.baseline} | ${r.ratio === undefined ? '' : r.ratio.toFixed(2) + '×'} |`);
}
