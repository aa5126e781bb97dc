/**
 * How a Query shows itself as a cell's value (the display protocol: a method under the global
 * symbol 'windowpane.mimeBundle' returns a MIME bundle). The engine knows nothing of notebooks: the
 * chart library registers a presenter (the live status line, src/chart/status); without one a query
 * shows a line of plain text.
 */
import type { QueryProgress } from './progress.js';

export const MIME_BUNDLE = Symbol.for('windowpane.mimeBundle');

/** What a presenter reads of a query. */
export interface Presentable {
  progress(): QueryProgress;
  provenance(): unknown;
  readonly done: Promise<void>;
}

export type QueryPresenter = (query: Presentable) => Record<string, unknown>;

let presenter: QueryPresenter | undefined;

/** Sets how queries show themselves in a notebook (undefined: plain text). */
export function presentQueriesWith(p: QueryPresenter | undefined): void {
  presenter = p;
}

export function presentQuery(query: Presentable): Record<string, unknown> {
  if (presenter) return presenter(query);
  const p = query.progress();
  return { 'text/plain': `<query: ${p.phase} · ${p.events} events · ${p.late} late · ${p.deadLetters} dead letters>` };
}
