/**
 * Redraws a live chart's canvas box by box. Vega's canvas renderer redraws one box: the union of
 * everything a run changed. Vega marks the axis titles changed on every layout, so a changeset that
 * touches a few points at the right edge redraws the union of those points and both axis titles:
 * nearly the whole chart, every mark in it. Here the changed boxes stay apart (those that overlap
 * merge) and are grouped into a few, merging each time the two whose union grows least; each is
 * cleared and redrawn with only the marks inside it (a mark whose bounds miss the box is not even
 * visited). When Vega asks for a full redraw (a resize), or hundreds of boxes changed, Vega's own
 * path runs.
 *
 * This leans on the canvas renderer's internals (vega-scenegraph 6: dirty(), _render(), draw(),
 * clear(), _dirty, _redraw, _origin, _width, _height); anything else is left as it is.
 */
import { Bounds } from 'vega';

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

interface Item {
  readonly bounds: Box;
  readonly mark: { readonly group?: { readonly x?: number; readonly y?: number; readonly mark: Item['mark'] } };
}

interface CanvasRendererInternals {
  _dirty: { clear(): void };
  _redraw: boolean;
  _origin: [number, number];
  _width: number;
  _height: number;
  context(): CanvasRenderingContext2D & { pixelRatio?: number };
  clear(x: number, y: number, w: number, h: number): void;
  draw(ctx: CanvasRenderingContext2D, scene: unknown, bounds: Bounds, markTypes: unknown): void;
  dirty(item: Item): void;
  _render(scene: unknown, markTypes: unknown): unknown;
}

/** Each box visits every item of the scene to find those inside it: a few boxes at most. */
const MAX_BOXES = 4;

const area = (b: Box) => Math.max(0, b.x2 - b.x1) * Math.max(0, b.y2 - b.y1);
const union = (a: Box, b: Box): Box => ({ x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1), x2: Math.max(a.x2, b.x2), y2: Math.max(a.y2, b.y2) });
const touch = (a: Box, b: Box) => a.x1 <= b.x2 + 1 && b.x1 <= a.x2 + 1 && a.y1 <= b.y2 + 1 && b.y1 <= a.y2 + 1;

function isCanvasRenderer(r: unknown): r is CanvasRendererInternals {
  const c = r as Partial<CanvasRendererInternals> | null;
  return typeof c?._render === 'function' && typeof c.dirty === 'function' && typeof c.draw === 'function' && typeof c.clear === 'function' && typeof c.context === 'function' && Array.isArray(c._origin);
}

/** An item's bounds in view coordinates (its groups' offsets added). */
function viewBox(item: Item): Box | undefined {
  const b = item.bounds;
  if (!(b.x2 >= b.x1 && b.y2 >= b.y1)) return undefined;
  let dx = 0;
  let dy = 0;
  for (let g = item.mark.group; g; g = g.mark.group) {
    dx += g.x ?? 0;
    dy += g.y ?? 0;
  }
  return { x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy };
}

/** Boxes kept apart before they are grouped; past this many Vega's one box serves as well. */
const MAX_KEPT = 256;

/** Merges `b` into the first box it touches, repeatedly, or adds it. */
function add(boxes: Box[], b: Box): void {
  let box = b;
  for (let i = boxes.length - 1; i >= 0; i--) {
    if (!touch(boxes[i]!, box)) continue;
    box = union(boxes[i]!, box);
    boxes.splice(i, 1);
  }
  boxes.push(box);
}

/** Groups the changed boxes into at most MAX_BOXES, each time merging the pair whose union grows least. */
function group(boxes: Box[]): Box[] {
  const out = [...boxes];
  while (out.length > MAX_BOXES) {
    let best = [0, 1, Infinity];
    for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const growth = area(union(out[i]!, out[j]!)) - area(out[i]!) - area(out[j]!);
        if (growth < best[2]!) best = [i, j, growth];
      }
    }
    const [i, j] = best as [number, number, number];
    const merged = union(out[i]!, out[j]!);
    out.splice(j, 1);
    out.splice(i, 1);
    add(out, merged);
  }
  return out;
}

/** A mark (not a group) whose bounds miss the box: nothing of it to draw, so none of its items to visit. */
function outside(scene: unknown, bounds: Bounds | undefined): boolean {
  const mark = scene as { marktype?: string; bounds?: Box } | null;
  if (!bounds || !mark?.bounds || mark.marktype === 'group') return false;
  const b = mark.bounds;
  return b.x2 >= b.x1 && (b.x2 < bounds.x1 || b.x1 > bounds.x2 || b.y2 < bounds.y1 || b.y1 > bounds.y2);
}

export function redrawByRegion(renderer: unknown): void {
  if (!isCanvasRenderer(renderer)) return;
  const r = renderer;
  const boxes: Box[] = [];
  const dirty = r.dirty.bind(r);
  const render = r._render.bind(r);
  const draw = r.draw.bind(r);
  r.draw = (ctx, scene, bounds, markTypes) => {
    if (!outside(scene, bounds)) draw(ctx, scene, bounds, markTypes);
  };
  let many = false;
  r.dirty = (item) => {
    dirty(item);
    const b = viewBox(item);
    if (!b || many) return;
    add(boxes, b);
    many = boxes.length > MAX_KEPT;
  };
  r._render = (scene, markTypes) => {
    if (r._redraw || boxes.length === 0 || many) {
      boxes.length = 0;
      many = false;
      return render(scene, markTypes);
    }
    const g = r.context();
    const [ox, oy] = r._origin;
    const ratio = g.pixelRatio ?? 1;
    for (const box of group(boxes)) {
      // Vega's own clip: a pixel more each side, on the device pixel grid, clear of a fractional origin
      const b = new Bounds().set(Math.max(box.x1, -ox), Math.max(box.y1, -oy), Math.min(box.x2, r._width - ox), Math.min(box.y2, r._height - oy)).expand(1).round();
      if (ratio % 1) b.set(Math.floor(b.x1 * ratio) / ratio, Math.floor(b.y1 * ratio) / ratio, Math.ceil(b.x2 * ratio) / ratio, Math.ceil(b.y2 * ratio) / ratio);
      b.translate(-(ox % 1), -(oy % 1));
      if (!(b.x2 > b.x1 && b.y2 > b.y1)) continue;
      g.save();
      g.beginPath();
      g.rect(b.x1, b.y1, b.width(), b.height());
      g.clip();
      r.clear(-ox, -oy, r._width, r._height);
      r.draw(g, scene, b, markTypes);
      g.restore();
    }
    boxes.length = 0;
    r._dirty.clear();
    return r;
  };
}
