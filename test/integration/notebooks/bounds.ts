/**
 * The rendered fallbacks of a notebook's charts fit: in every chart output, the SVG holds all it
 * paints (axis titles, tick labels, legends, the title and summary) and the PNG is the SVG's size,
 * so a shared notebook shows whole charts in any frontend.
 */
import assert from 'node:assert/strict';
import { CHART_MIME } from '../../../src/chart/protocol.js';
import { sourceText, type Notebook } from '../../../src/runner/notebook.js';
import { overflow, svgSize } from '../../helpers/svg-bounds.js';

/** Width and height from a PNG's header (IHDR). */
function pngSize(base64: string): { width: number; height: number } {
  const png = Buffer.from(base64, 'base64');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function assertChartsFit(name: string, notebook: Notebook): number {
  let checked = 0;
  notebook.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    for (const output of cell.outputs) {
      if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') continue;
      const data = output.data as Record<string, unknown>;
      if (!(CHART_MIME in data)) continue;
      const where = `${name}: the chart of cell ${i + 1}`;
      const svg = sourceText(data['image/svg+xml'] as string | string[]);
      assert.deepEqual(overflow(svg), [], `${where}: its SVG cuts off what it paints`);
      if (typeof data['image/png'] === 'string') assert.deepEqual(pngSize(data['image/png']), svgSize(svg), `${where}: its PNG is the SVG's size`);
      checked++;
    }
  });
  return checked;
}
