/**
 * Level of detail: which rows of a big chart are worth drawing. Chosen once from the Vega-Lite spec:
 *
 * - 'm4'   line, area and trail marks: per series and pixel column of x, the rows at the lowest and
 *          highest y and the first and last x (the M4 aggregation): the drawn line looks the same.
 * - 'grid' point marks: one row per series and cell of a grid of a few pixels: every spot that has
 *          points still has one.
 * - 'none' any other chart (bars, rects, text, composite specs, aggregating encodings) draws every row.
 */
export type LodPlan =
  | { readonly kind: 'm4'; readonly x: string; readonly y: string; readonly series: readonly string[]; readonly bins: number }
  | { readonly kind: 'grid'; readonly x: string; readonly y: string; readonly series: readonly string[]; readonly xBins: number; readonly yBins: number }
  | { readonly kind: 'none'; readonly reason: string };

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Vega-Lite's default size of a continuous axis, in pixels. */
const DEFAULT_SIZE = 300;
/** Grid cells of this many pixels for point marks. */
const CELL_PX = 3;
const SERIES_CHANNELS = ['color', 'detail', 'shape', 'strokeDash', 'fill', 'stroke'];
const COMPOSITE = ['layer', 'concat', 'hconcat', 'vconcat', 'facet', 'repeat'];

function markOf(spec: Obj): string {
  const m = spec.mark;
  return typeof m === 'string' ? m : isObj(m) && typeof m.type === 'string' ? m.type : '';
}

/** A plain continuous field of a position channel: no aggregate, bin, time unit or stack. */
function continuousField(def: unknown): string | undefined {
  if (!isObj(def) || typeof def.field !== 'string') return undefined;
  if (def.type !== 'quantitative' && def.type !== 'temporal') return undefined;
  return def.aggregate || def.bin || def.timeUnit || (def.stack !== undefined && def.stack !== null && def.stack !== false) ? undefined : def.field;
}

const size = (v: unknown): number => (typeof v === 'number' && v > 0 ? v : DEFAULT_SIZE);

export function lodPlan(spec: Readonly<Obj>): LodPlan {
  if (COMPOSITE.some((k) => k in spec)) return { kind: 'none', reason: 'a composite spec' };
  const mark = markOf(spec);
  const encoding = isObj(spec.encoding) ? spec.encoding : {};
  const x = continuousField(encoding.x);
  const y = continuousField(encoding.y);
  if (!x || !y) return { kind: 'none', reason: 'x and y are not both plain quantitative or temporal fields' };
  const defs = Object.entries(encoding).filter(([channel]) => channel !== 'x' && channel !== 'y').map(([, def]) => def);
  if (defs.some((d) => isObj(d) && d.aggregate)) return { kind: 'none', reason: 'an aggregating encoding' };
  const series = SERIES_CHANNELS.flatMap((c) => {
    const def = encoding[c];
    return isObj(def) && typeof def.field === 'string' && (def.type === 'nominal' || def.type === 'ordinal') ? [def.field] : [];
  });
  const y0 = encoding.y as Obj;
  if (mark === 'area' && series.length > 0 && y0.stack !== null && y0.stack !== false) return { kind: 'none', reason: 'stacked areas need every series at the same x' };
  switch (mark) {
    case 'line': case 'area': case 'trail':
      return { kind: 'm4', x, y, series: [...new Set(series)], bins: Math.round(size(spec.width)) };
    case 'point': case 'circle': case 'square': case 'tick':
      return { kind: 'grid', x, y, series: [...new Set(series)], xBins: Math.ceil(size(spec.width) / CELL_PX), yBins: Math.ceil(size(spec.height) / CELL_PX) };
    default:
      return { kind: 'none', reason: `a ${mark || 'composite'} mark draws every row` };
  }
}
