/**
 * The fault tier's figures: each test records what it did and measured under its fault's id in
 * test-results/faults.json (merged, one entry per fault), once its assertions have passed.
 * `npm run reliability` renders them into RELIABILITY.md (scripts/reliability.mjs).
 */
import { cpus } from 'node:os';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';

/** The faults, in the order RELIABILITY.md lists them. */
export const FAULTS = ['broker-kill', 'broker-kill-sink', 'broker-gone', 'poison', 'schema-drift', 'spill-full', 'interrupt-history', 'interrupt-live'] as const;
export type FaultId = (typeof FAULTS)[number];

export interface FaultFigures {
  /** The fault as done to the system. */
  readonly done: string;
  /** What the user saw (messages quoted short). */
  readonly saw: string;
  /** Records (or rows) lost, and counted or written twice; null where the fault moves no data. */
  readonly lost: number | null;
  readonly duplicated: number | null;
  /** Time to recover (ms) and what it is measured from and to; null where nothing needs recovering. */
  readonly recoveryMs: number | null;
  readonly recovery: string;
  /** Other measured figures (counts, times) for the record. */
  readonly details?: Readonly<Record<string, number | string | boolean>>;
}

export const FIGURES_FILE = join(packageRoot, 'test-results', 'faults.json');

export function recordFault(id: FaultId, figures: FaultFigures): void {
  mkdirSync(join(packageRoot, 'test-results'), { recursive: true });
  let all: { faults?: Record<string, unknown> } = {};
  try {
    all = JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as typeof all;
  } catch {
    // first figure of the run
  }
  const next = {
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}` },
    faults: { ...(all.faults ?? {}), [id]: { ...figures, at: new Date().toISOString() } },
  };
  const tmp = `${FIGURES_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n');
  renameSync(tmp, FIGURES_FILE);
}

/** Milliseconds since `t0` (performance.now()), rounded. */
export function since(t0: number): number {
  return Math.round(performance.now() - t0);
}
