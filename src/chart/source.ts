/**
 * Reading a chart's source into its model: a query (anything with `changelog()`), an async
 * iterable of changelog rows or batches, or plain records (an array or any iterable). Items that
 * are none of these never stop the chart: they are counted and kept in `rejected`.
 */
import { ChartError } from '../errors.js';
import { messages } from '../messages.js';
import { isChangelogBatch, isChartRow, recordToTuple, rowToTuple, type ChartRow } from './changelog.js';
import type { ChartModel } from './model.js';

export type ChartSource = AsyncIterable<unknown> | Iterable<unknown> | { changelog(): AsyncIterable<unknown> | Iterable<unknown> };

export type EndState = 'finished' | 'interrupted';

export interface ConsumeOptions {
  readonly keyField?: string;
  readonly signal?: AbortSignal;
  /** Called after each item (a row, a batch or a record) was applied. */
  readonly onChange: () => void;
  readonly onWatermark?: (watermark: number | null) => void;
  readonly rejected: unknown[];
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return `a ${typeof x}`;
  return `an object without Symbol.asyncIterator, Symbol.iterator or changelog() (keys: ${Object.keys(x).slice(0, 5).join(', ')})`;
}

export function iterableOf(source: unknown): AsyncIterable<unknown> | Iterable<unknown> {
  if (typeof source === 'object' && source !== null) {
    if (typeof (source as { changelog?: unknown }).changelog === 'function') return (source as { changelog(): AsyncIterable<unknown> }).changelog();
    if (Symbol.asyncIterator in source || Symbol.iterator in source) return source as AsyncIterable<unknown>;
  }
  throw new ChartError('chart.source', messages.chartSourceInvalid(describe(source)));
}

/** Counts a query reports about its input (Query.stats()): late events and unreadable records. */
export interface SourceCounts {
  readonly late: number;
  readonly deadLetters: number;
}

export function sourceCounts(source: unknown): SourceCounts | undefined {
  const stats = typeof source === 'object' && source !== null ? (source as { stats?: unknown }).stats : undefined;
  if (typeof stats !== 'function') return undefined;
  try {
    const s = stats.call(source) as Partial<SourceCounts> | undefined;
    return { late: typeof s?.late === 'number' ? s.late : 0, deadLetters: typeof s?.deadLetters === 'number' ? s.deadLetters : 0 };
  } catch {
    return undefined;
  }
}

/** After an interrupt, stops the query behind the chart (Query.stop()), if it is one. */
export function stopSource(source: unknown): void {
  const stop = typeof source === 'object' && source !== null ? (source as { stop?: unknown }).stop : undefined;
  if (typeof stop === 'function') void Promise.resolve(stop.call(source)).catch(() => undefined);
}

function applyRow(model: ChartModel, row: ChartRow): void {
  if (row.kind === 'retract') model.remove(row.key);
  else model.upsert(rowToTuple(row), `${row.windowStart}|${row.windowEnd}`, row.windowStart);
}

/** Applies every item to the model until the source ends or the signal aborts. */
export async function consume(iterable: AsyncIterable<unknown> | Iterable<unknown>, model: ChartModel, o: ConsumeOptions): Promise<EndState> {
  let index = 0;
  const apply = (item: unknown): void => {
    if (isChartRow(item)) applyRow(model, item);
    else if (isChangelogBatch(item)) {
      for (const row of item.rows) applyRow(model, row);
      o.onWatermark?.(item.watermark);
    } else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const i = index++;
      model.upsert(recordToTuple(item as Record<string, unknown>, i, o.keyField), `#${i}`, i);
    } else {
      o.rejected.push(item);
      return;
    }
    o.onChange();
  };
  if (o.signal?.aborted) return 'interrupted';
  const iterator = Symbol.asyncIterator in iterable ? iterable[Symbol.asyncIterator]() : (iterable)[Symbol.iterator]();
  const aborted = new Promise<'aborted'>((resolve) => o.signal?.addEventListener('abort', () => resolve('aborted'), { once: true }));
  let n = 0;
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next === 'aborted') return 'interrupted';
      if (next.done) return 'finished';
      apply(next.value);
      // Let timers (display updates) run between items of a fast synchronous source.
      if (++n % 1000 === 0) await new Promise((r) => setImmediate(r));
    }
  } finally {
    // Stops the query behind the iterator (an async generator runs its finally blocks).
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
