/** A changeset's rows on the comm: JSON beside Arrow IPC, bytes and the kernel's encoding time. */
import { encodeRows } from '../../src/chart/arrow.js';
import type { Tuple } from '../../src/chart/protocol.js';

export function changesetRows(n: number): Tuple[] {
  return Array.from({ length: n }, (_, i) => {
    const start = 1_700_000_000_000 + Math.floor(i / 8) * 60_000;
    return { key: `${start}|${start + 60_000}|["g${i % 8}"]`, window_start: start, window_end: start + 60_000, g: `g${i % 8}`, n: (i * 7919) % 1000, avg_delay: ((i * 104729) % 10_000) / 100, kind: 'final', late: 0 };
  });
}

export interface Encoded {
  readonly json: string;
  readonly arrow: Uint8Array;
  readonly jsonMs: number[];
  readonly arrowMs: number[];
}

export function encodeBoth(rows: readonly Tuple[], repeats: number): Encoded {
  const jsonMs: number[] = [];
  const arrowMs: number[] = [];
  let json = '';
  let arrow = new Uint8Array();
  for (let i = 0; i < repeats; i++) {
    let t = performance.now();
    json = JSON.stringify({ type: 'changes', summary: '', upsert: rows, remove: [] });
    jsonMs.push(performance.now() - t);
    t = performance.now();
    arrow = encodeRows(rows) ?? arrow;
    arrowMs.push(performance.now() - t);
  }
  return { json, arrow, jsonMs, arrowMs };
}
