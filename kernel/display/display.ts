import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { currentExecution } from '../session/context.js';
import type { MimeBundle } from '../session/types.js';
import { formatValue } from './format.js';

export interface DisplayCallOptions {
  /** Reuse a display id (to show the same output in two places, or to update one shown before). */
  readonly displayId?: string;
  readonly metadata?: Record<string, unknown>;
  /** `value` is already a MIME bundle: send it as is. */
  readonly raw?: boolean;
}

/** A shown output that can be replaced in place (update_display_data by display_id). */
export interface DisplayHandle {
  readonly displayId: string;
  update(value: unknown, options?: Omit<DisplayCallOptions, 'displayId'>): void;
}

export interface DisplayFunction {
  (value: unknown, options?: DisplayCallOptions): DisplayHandle;
  html(html: string, options?: DisplayCallOptions): DisplayHandle;
  markdown(markdown: string, options?: DisplayCallOptions): DisplayHandle;
  svg(svg: string, options?: DisplayCallOptions): DisplayHandle;
  /** PNG bytes, or a base64 string. */
  png(data: Uint8Array | string, options?: DisplayCallOptions): DisplayHandle;
  json(value: unknown, options?: DisplayCallOptions): DisplayHandle;
  /** A Vega-Lite spec: application/vnd.vegalite.v6+json when its $schema says v6, else v5. */
  vegaLite(spec: Record<string, unknown>, options?: DisplayCallOptions): DisplayHandle;
}

function bundleOf(value: unknown, raw: boolean | undefined): MimeBundle {
  if (raw) return value as MimeBundle;
  return formatValue(value) ?? { 'text/plain': 'undefined' };
}

/** Sends a bundle to the cell the caller belongs to (background work included); no cell, no output. */
function send(bundle: MimeBundle, displayId: string, update: boolean, metadata: Record<string, unknown> | undefined): void {
  currentExecution()?.display(bundle, metadata ? { displayId, update, metadata } : { displayId, update });
}

function show(value: unknown, options: DisplayCallOptions = {}): DisplayHandle {
  const displayId = options.displayId ?? randomUUID();
  send(bundleOf(value, options.raw), displayId, false, options.metadata);
  return {
    displayId,
    update: (next, opts = {}) => send(bundleOf(next, opts.raw), displayId, true, opts.metadata ?? options.metadata),
  };
}

const raw = (bundle: MimeBundle, options?: DisplayCallOptions) => show(bundle, { ...options, raw: true });

/** Vega-Lite MIME type for a spec: v6 or v5 by its $schema (v5 when absent: JupyterLab renders it built in). */
export function vegaLiteMimeType(spec: Record<string, unknown>): string {
  const schema = typeof spec.$schema === 'string' ? spec.$schema : '';
  return /vega-lite\/v6/.test(schema) ? 'application/vnd.vegalite.v6+json' : 'application/vnd.vegalite.v5+json';
}

export const display: DisplayFunction = Object.assign(show, {
  html: (html: string, options?: DisplayCallOptions) => raw({ 'text/html': html, 'text/plain': '<HTML>' }, options),
  markdown: (markdown: string, options?: DisplayCallOptions) => raw({ 'text/markdown': markdown, 'text/plain': markdown }, options),
  svg: (svg: string, options?: DisplayCallOptions) => raw({ 'image/svg+xml': svg, 'text/plain': '<SVG image>' }, options),
  png: (data: Uint8Array | string, options?: DisplayCallOptions) =>
    raw({ 'image/png': typeof data === 'string' ? data : Buffer.from(data).toString('base64'), 'text/plain': '<PNG image>' }, options),
  json: (value: unknown, options?: DisplayCallOptions) => raw({ 'application/json': value, 'text/plain': inspect(value, { depth: 4 }) }, options),
  vegaLite: (spec: Record<string, unknown>, options?: DisplayCallOptions) => raw({ [vegaLiteMimeType(spec)]: spec, 'text/plain': '<Vega-Lite chart>' }, options),
});

/** clear_output for the caller's cell; with `wait`, the frontend clears when the next output arrives. */
export function clearOutput(wait = false): void {
  currentExecution()?.clearOutput(wait);
}
