/**
 * A query's status line from one progress reading and what the sampler derived from earlier ones
 * (events/s, the ETA, the lag in seconds): the items in order, as text.
 */
import type { QueryProgress } from '../../engine/query/progress.js';
import type { StatusLine } from '../protocol.js';
import { bytes, count, duration, percent, plural, utc } from './format.js';

export interface Derived {
  /** Events per second over the last few seconds (undefined until two readings). */
  readonly rate?: number;
  /** Time to the end of the history (from its fraction) or of the hand-off (from the lag and the rate). */
  readonly etaMs?: number;
  /** How long ago the topic's end was where the query reads now; `atLeast` when older than the sampler's memory. */
  readonly lagMs?: { readonly ms: number; readonly atLeast: boolean };
}

function phaseText(p: QueryProgress, d: Derived): string {
  const eta = d.etaMs === undefined ? [] : [`ETA ${duration(d.etaMs)}`];
  switch (p.phase) {
    case 'history': {
      const h = p.history;
      if (!h) return 'history';
      const head = h.fraction === undefined ? 'history' : `history ${percent(h.fraction)}`;
      return [head, plural(h.rows, 'row'), ...(h.bytes === undefined ? [] : [`${bytes(h.bytes)} read`]), ...eta].join(' · ');
    }
    case 'handoff': return ['hand-off', ...eta].join(' · ');
    case 'starting': case 'live': case 'done': return p.phase;
  }
}

function watermarkText(wm: number | null): string {
  if (wm === null) return 'watermark none yet';
  return wm >= Number.MAX_SAFE_INTEGER ? 'watermark end of input' : `watermark ${utc(wm)}`;
}

export function statusLine(p: QueryProgress, d: Derived): StatusLine {
  const running = p.phase !== 'done';
  const items: StatusLine['items'][number][] = [
    { name: 'phase', text: phaseText(p, d) },
    { name: 'watermark', text: watermarkText(p.watermark) },
  ];
  if (running && p.topic) {
    const lag = d.lagMs ? ` (${d.lagMs.atLeast && p.topic.lag > 0 ? '≥ ' : ''}${duration(d.lagMs.ms)})` : '';
    items.push({ name: 'lag', text: `lag ${plural(p.topic.lag, 'event')}${lag}` });
  }
  if (running && d.rate !== undefined) items.push({ name: 'rate', text: `${count(d.rate)} events/s` });
  items.push({ name: 'late', text: plural(p.late, 'late event') }, { name: 'deadLetters', text: plural(p.deadLetters, 'dead letter') });
  return { phase: p.phase, items, ...(running && p.topic ? { lag: p.topic.lag } : {}) };
}

type ItemName = StatusLine['items'][number]['name'];

/** The line as one string: its items joined by " · " (less those a chart's summary already shows). */
export function statusText(line: StatusLine, omit: readonly ItemName[] = []): string {
  return line.items.filter((i) => !omit.includes(i.name)).map((i) => i.text).join(' · ');
}

/** The line in two, for images: the phase, then the rest. */
export function statusLines(line: StatusLine, omit: readonly ItemName[] = []): [string, string] {
  const [phase, ...rest] = line.items;
  return [phase?.text ?? line.phase, statusText({ ...line, items: rest }, omit)];
}
