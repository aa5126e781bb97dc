/** Seeded changelogs for chart tests: deterministic rows in the engine's changelog form. */
import type { ChartRow } from '../../../src/chart/changelog.js';

/** A small linear congruential generator: the same numbers on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MINUTE = 60_000;
export const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

export function row(i: number, kind: ChartRow['kind'], values: Record<string, number>, group: Record<string, string> = {}, late = 0): ChartRow {
  const windowStart = T0 + i * MINUTE;
  const windowEnd = windowStart + MINUTE;
  return { kind, key: `${windowStart}|${windowEnd}|${JSON.stringify(Object.values(group))}`, windowStart, windowEnd, group, values, seq: 0, late };
}

/** Per-minute counts for groups, the last two windows provisional, one revised with late events. */
export function minuteCounts(windows: number, groups: readonly string[], seed = 7): ChartRow[] {
  const rand = seeded(seed);
  const rows: ChartRow[] = [];
  for (let i = 0; i < windows; i++) {
    for (const g of groups) {
      const kind = i >= windows - 2 ? 'provisional' : 'final';
      rows.push(row(i, kind, { n: 10 + Math.floor(rand() * 40) }, groups.length > 1 ? { airline: g } : {}));
    }
  }
  const revisedAt = Math.max(0, windows - 4);
  for (const g of groups) rows.push(row(revisedAt, 'revised', { n: 55 }, groups.length > 1 ? { airline: g } : {}, 3));
  return rows;
}

export async function* asAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}
