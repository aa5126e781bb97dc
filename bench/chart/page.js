/* global window, document, requestAnimationFrame, performance, CanvasRenderingContext2D */
/**
 * The page side of bench/chart.ts, bundled with esbuild into Chromium: the JupyterLab extension's own
 * live view (changesets, stable domains) beside a full re-render of the whole spec with all its rows
 * (what re-embedding the chart on every update costs). Plain JavaScript: the project's type-check has
 * no DOM, and this file is only ever bundled for the browser.
 */
import { LiveView } from '../../extensions/windowpane-jupyterlab/src/live-view';
import { View, parse } from 'vega';
import { decodeRows } from '../../src/chart/arrow.js';

const PER_WINDOW = 100;
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
const rows = (w, revision) => Array.from({ length: PER_WINDOW }, (_, i) => ({ key: `${w}:${i}`, window_start: w, g: `g${i % 8}`, n: (w * 7919 + i * 104729 + revision) % 1000, kind: revision ? 'revised' : 'final', late: 0 }));

/** One update of a kind: the rows that change and the keys that go. */
function update(kind, windows, u, state) {
  const w = windows + u;
  switch (kind) {
    case 'append': return { fresh: rows(w, 0), gone: [] };
    case 'slide': return { fresh: [...rows(w, 0), ...rows(w - 1, 1).slice(0, 10)], gone: rows(state.first++, 0).map((t) => t.key) };
    case 'revise': return { fresh: rows((u * 37) % windows, u + 1), gone: [] };
  }
  throw new Error(kind);
}

/** The live view as the extension has it, holding `windows` windows of rows, state live. */
async function liveView(host, spec, windows) {
  const values = [];
  for (let w = 0; w < windows; w++) values.push(...rows(w, 0));
  const payload = { version: 1, chartId: 'bench', commTarget: 'windowpane.chart', state: 'live', specVersion: 'v6', vegaLite: {}, vega: spec, dataName: 'windowpane', keyField: 'key', summary: '', values };
  const live = await LiveView.create(host, payload);
  await frame();
  return live;
}

/** A fresh view of the whole spec with all the rows (the baseline). */
async function rerender(host, spec, data, previous) {
  previous?.finalize();
  host.replaceChildren();
  const full = { ...spec, data: spec.data.map((d) => (d.name === 'windowpane' ? { name: 'windowpane', values: [...data.values()].map((t) => ({ ...t })) } : d)) };
  const view = new View(parse(full), { renderer: 'canvas', container: host });
  await view.runAsync();
  return view;
}

/**
 * Time per update to the next frame, and the main thread's work in it (the changes applied and
 * rendered, without the wait for the frame): `updates` updates of `kind` on `windows` windows.
 */
window.runCase = async ({ spec, baseline, windows, updates, mode, kind }) => {
  const host = document.getElementById('chart');
  const state = { first: 0 };
  const times = [];
  const work = [];
  if (mode === 'changeset') {
    const live = await liveView(host, spec, windows);
    for (let u = 0; u < updates; u++) {
      const { fresh, gone } = update(kind, windows, u, state);
      const t0 = performance.now();
      live.upsert(fresh, gone);
      await live.flush();
      work.push(performance.now() - t0);
      await frame();
      times.push(performance.now() - t0);
    }
    const marks = live.view.data('windowpane').length;
    live.finalize();
    return { times, work, marks };
  }
  const data = new Map();
  for (let w = 0; w < windows; w++) for (const t of rows(w, 0)) data.set(t.key, t);
  let view = await rerender(host, baseline, data);
  await frame();
  for (let u = 0; u < updates; u++) {
    const { fresh, gone } = update(kind, windows, u, state);
    const t0 = performance.now();
    for (const k of gone) data.delete(k);
    for (const t of fresh) data.set(t.key, t);
    view = await rerender(host, baseline, data, view);
    work.push(performance.now() - t0);
    await frame();
    times.push(performance.now() - t0);
  }
  const marks = view.data('windowpane').length;
  view.finalize();
  return { times, work, marks };
};

/**
 * A sustained rate: slide updates falling due `rate` times a second for `seconds`, as a live query
 * sends them. At each animation frame what fell due is applied (coalesced, as the live view does)
 * and drawn; the baseline re-renders the whole spec instead. Returns the updates drawn per second,
 * the frames that drew, and how long after falling due each update reached the screen.
 */
window.runRate = async ({ spec, baseline, windows, seconds, rate, mode }) => {
  const host = document.getElementById('chart');
  const state = { first: 0 };
  const lags = [];
  const work = [];
  let live;
  let data;
  let view;
  if (mode === 'changeset') live = await liveView(host, spec, windows);
  else {
    data = new Map();
    for (let w = 0; w < windows; w++) for (const t of rows(w, 0)) data.set(t.key, t);
    view = await rerender(host, baseline, data);
  }
  let sent = 0;
  let frames = 0;
  const t0 = performance.now();
  for (;;) {
    await frame();
    const now = performance.now();
    if (now - t0 >= seconds * 1000) break;
    const due = Math.floor(((now - t0) / 1000) * rate);
    if (due <= sent) continue;
    const from = sent;
    const w0 = performance.now();
    for (; sent < due; sent++) {
      const { fresh, gone } = update('slide', windows, sent, state);
      if (live) live.upsert(fresh, gone);
      else {
        for (const k of gone) data.delete(k);
        for (const t of fresh) data.set(t.key, t);
      }
    }
    if (live) {
      await live.flush();
    } else view = await rerender(host, baseline, data, view);
    work.push(performance.now() - w0);
    await frame();
    frames++;
    const shown = performance.now();
    for (let u = from; u < due; u++) lags.push(shown - (t0 + ((u + 1) / rate) * 1000));
  }
  const elapsed = (performance.now() - t0) / 1000;
  live?.finalize();
  view?.finalize();
  return { due: Math.floor(elapsed * rate), drawn: sent, perSecond: sent / elapsed, framesPerSecond: frames / elapsed, lags, work };
};

/** Decoding a changeset's rows in the page: JSON text, or Arrow bytes (base64). */
window.runDecode = ({ json, arrow, repeats }) => {
  const bytes = Uint8Array.from(window.atob(arrow), (c) => c.charCodeAt(0));
  const jsonMs = [];
  const arrowMs = [];
  for (let i = 0; i < repeats; i++) {
    let t = performance.now();
    JSON.parse(json);
    jsonMs.push(performance.now() - t);
    t = performance.now();
    decodeRows(bytes);
    arrowMs.push(performance.now() - t);
  }
  return { jsonMs, arrowMs };
};

/**
 * What one update redraws on the live view: the scenegraph items Vega marks changed, and the circles
 * the canvas draws (arc calls), after `after` updates of the same kind (past the first domain step).
 */
window.redrawn = async ({ spec, windows, kind, after = 0 }) => {
  const host = document.getElementById('chart');
  const live = await liveView(host, spec, windows);
  const state = { first: 0 };
  for (let u = 0; u < after; u++) {
    const { fresh, gone } = update(kind, windows, u, state);
    live.upsert(fresh, gone);
    await live.flush();
  }
  const renderer = live.view._renderer;
  const items = {};
  const dirty = renderer.dirty.bind(renderer);
  renderer.dirty = (item) => {
    const k = `${item.mark.marktype}/${item.mark.role}`;
    items[k] = (items[k] || 0) + 1;
    dirty(item);
  };
  let arcs = 0;
  const arc = CanvasRenderingContext2D.prototype.arc;
  CanvasRenderingContext2D.prototype.arc = function (...a) {
    arcs++;
    return arc.apply(this, a);
  };
  const { fresh, gone } = update(kind, windows, after, state);
  live.upsert(fresh, gone);
  await live.flush();
  CanvasRenderingContext2D.prototype.arc = arc;
  const marks = live.view.data('windowpane').length;
  live.finalize();
  return { items, arcs, marks };
};
