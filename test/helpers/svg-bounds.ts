/**
 * Where a rendered chart actually paints: the bounding box of every visible element of an SVG
 * (text measured with the glyphs of the font the PNG uses), beside the image's own size. A chart
 * fits when nothing it paints (axis titles, tick labels, legends, titles) falls outside the image.
 */
import { Resvg } from '@resvg/resvg-js';
import { chartFonts } from '../../src/chart/fonts.js';

export interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** The image size from the root element's width and height. */
export function svgSize(svg: string): { readonly width: number; readonly height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\s${name}="([\\d.]+)"`).exec(root)?.[1] ?? NaN);
  return { width: attr('width'), height: attr('height') };
}

/** The box around everything painted, strokes included; the full-size background is left out. */
export function paintedBounds(svg: string): Box | undefined {
  const { width, height } = svgSize(svg);
  const withoutBackground = svg.replace(new RegExp(`<rect width="${width}" height="${height}"[^>]*/>`), '');
  const bbox = new Resvg(withoutBackground, { font: chartFonts(), logLevel: 'off' }).getBBox();
  return bbox ? { x1: bbox.x, y1: bbox.y, x2: bbox.x + bbox.width, y2: bbox.y + bbox.height } : undefined;
}

/** What sticks out of the image, in pixels per side ([] when everything is inside). Half a pixel of anti-aliasing is allowed. */
export function overflow(svg: string): string[] {
  const { width, height } = svgSize(svg);
  const b = paintedBounds(svg);
  if (!b) return ['nothing is painted'];
  const out: string[] = [];
  const tolerance = 0.5;
  if (b.x1 < -tolerance) out.push(`left by ${(-b.x1).toFixed(1)}px`);
  if (b.y1 < -tolerance) out.push(`top by ${(-b.y1).toFixed(1)}px`);
  if (b.x2 > width + tolerance) out.push(`right by ${(b.x2 - width).toFixed(1)}px`);
  if (b.y2 > height + tolerance) out.push(`bottom by ${(b.y2 - height).toFixed(1)}px`);
  return out;
}
