/**
 * Reading an executed notebook: what it printed, and its final charts in a stable form for goldens: per chart output, its
 * state, Vega-Lite spec, summary and rows (sorted by key); the chart id (random) is left out.
 * Compared with test/helpers/golden.ts: a mismatch writes <name>-changed.json beside the golden; a
 * missing golden is written, except under CI=true, where it fails.
 */
import { join } from 'node:path';
import { CHART_MIME, type ChartPayload } from '../../../src/chart/protocol.js';
import { sourceText, type CodeCell, type Notebook } from '../../../src/runner/notebook.js';
import { assertGolden } from '../../helpers/golden.js';

export interface ChartSnapshot {
  readonly cell: number;
  readonly state: string;
  readonly specVersion: string;
  readonly vegaLite: unknown;
  readonly summary: string;
  readonly values: readonly Record<string, unknown>[];
}

/** The chart outputs of a notebook, by cell (1-based among all cells). */
export function chartSnapshots(notebook: Notebook): ChartSnapshot[] {
  const charts: ChartSnapshot[] = [];
  notebook.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    for (const output of cell.outputs) {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') continue;
      const payload = (output.data as Record<string, unknown> | undefined)?.[CHART_MIME] as ChartPayload | undefined;
      if (!payload) continue;
      const values = [...payload.values].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      charts.push({ cell: i + 1, state: payload.state, specVersion: payload.specVersion, vegaLite: payload.vegaLite, summary: payload.summary, values });
    }
  });
  return charts;
}

/** What the notebook printed: stream text and errors, in cell order. */
export function printedText(notebook: Notebook): string {
  return notebook.cells
    .filter((c): c is CodeCell => c.cell_type === 'code')
    .flatMap((c) => c.outputs)
    .map((o) => (o.output_type === 'stream' ? sourceText(o.text) : o.output_type === 'error' ? `${o.ename}: ${o.evalue}\n` : ''))
    .join('');
}

/** The text/html of every display output, in cell order. */
export function htmlOutputs(notebook: Notebook): string {
  return notebook.cells
    .filter((c): c is CodeCell => c.cell_type === 'code')
    .flatMap((c) => c.outputs)
    .map((o) => (o.output_type === 'display_data' || o.output_type === 'execute_result' ? sourceText((o.data['text/html'] as string | string[] | undefined) ?? '') : ''))
    .join('\n');
}

/** The final charts of notebook `name` against <dir>/<name>.json. */
export function compareGolden(dir: string, name: string, actual: unknown): void {
  assertGolden(join(dir, `${name}.json`), JSON.stringify(actual, null, 1) + '\n');
}
