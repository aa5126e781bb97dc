/**
 * The cell loop: runs each code cell in order on a started kernel, records its outputs and timing,
 * saves the notebook after every cell, stops at the first failure, and at the end lets late display
 * updates arrive (a final no-op execute: everything the kernel published before it is in by its idle).
 */
import { messages } from '../messages.js';
import { executeCell, type CellEnd } from './cell.js';
import { toIopubEvent } from './iopub.js';
import type { StartedKernel } from './kernel.js';
import { cellTags, sourceText, writeNotebookAtomic, type CodeCell, type Json, type JsonObject, type Notebook } from './notebook.js';
import { NotebookOutputs } from './outputs.js';
import type { CellStatus, ProgressEvent, RunOutcome } from './types.js';

export interface LoopOptions {
  readonly nb: Notebook;
  readonly kernel: StartedKernel;
  readonly output: string;
  readonly cellTimeoutMs?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Merged into metadata.windowpane on every save. */
  readonly runMetadata: JsonObject;
}

const SETTLE_LIMIT_MS = 30_000;

export async function executeNotebook(o: LoopOptions): Promise<{ outcome: RunOutcome; lateUpdates: number }> {
  const { nb, kernel } = o;
  const outputs = new NotebookOutputs(nb);
  let running: CodeCell | undefined;
  const onIopub = (_: unknown, msg: Parameters<typeof toIopubEvent>[0]) => {
    const event = toIopubEvent(msg);
    if (event) outputs.apply(event, running);
  };
  kernel.connection.iopubMessage.connect(onIopub);
  const started = new Date();
  const save = (status: string, extra: JsonObject = {}) => {
    const now = new Date();
    const provenance = outputs.provenance() as unknown as Json;
    const meta = { ...o.runMetadata, start_time: started.toISOString(), end_time: now.toISOString(), duration: seconds(now.getTime() - started.getTime()), status, provenance, ...extra };
    nb.metadata.windowpane = { ...(isObject(nb.metadata.windowpane) ? nb.metadata.windowpane : {}), ...meta };
    writeNotebookAtomic(o.output, nb);
  };

  for (const cell of nb.cells) if (cell.cell_type === 'code') setCellMeta(cell, { status: 'pending' });
  save('running');
  const deadline = o.timeoutMs !== undefined ? started.getTime() + o.timeoutMs : undefined;
  let outcome: RunOutcome = { status: 'ok' };
  const total = nb.cells.length;

  for (let i = 0; i < total && outcome.status === 'ok'; i++) {
    const cell = nb.cells[i]!;
    if (cell.cell_type !== 'code') continue;
    const code = sourceText(cell.source);
    if (code.trim() === '' || cellTags(cell).includes('skip-execution')) {
      setCellMeta(cell, { status: 'skipped' });
      continue;
    }
    const n = i + 1;
    o.onProgress?.({ kind: 'cell-start', cell: n, total, firstLine: code.trim().split('\n')[0]!.slice(0, 60) });
    const t0 = Date.now();
    const untilDeadline = deadline === undefined ? undefined : deadline - t0;
    const budgetMs = minDefined(o.cellTimeoutMs, untilDeadline);
    const byDeadline = untilDeadline !== undefined && (o.cellTimeoutMs === undefined || untilDeadline < o.cellTimeoutMs);
    running = cell;
    setCellMeta(cell, { status: 'running', start_time: new Date(t0).toISOString() });
    const end = await executeCell(kernel, { code, budgetMs, signal: o.signal, onRequest: (id) => outputs.own(id, cell) });
    running = undefined;
    const t1 = Date.now();
    outcome = toOutcome(end, n, cell, byDeadline, o);
    if (end.kind === 'ok' || end.kind === 'error') cell.execution_count = end.executionCount;
    const status = cellStatus(end, outcome);
    if (outcome.status === 'cell-timeout' || outcome.status === 'notebook-timeout' || outcome.status === 'kernel-died') {
      outputs.addError(cell, outcome.status === 'kernel-died' ? 'DeadKernelError' : 'CellTimeoutError', outcomeText(outcome));
    }
    setCellMeta(cell, { status, end_time: new Date(t1).toISOString(), duration: seconds(t1 - t0) });
    o.onProgress?.({ kind: 'cell-end', cell: n, total, ms: t1 - t0, status });
    save('running');
  }

  if ((outcome.status === 'ok' || outcome.status === 'cell-error') && kernel.watch.reason === undefined) {
    await executeCell(kernel, { code: '', silent: true, budgetMs: SETTLE_LIMIT_MS });
  }
  kernel.connection.iopubMessage.disconnect(onIopub);
  save(outcome.status === 'ok' ? 'completed' : 'failed', outcome.status === 'ok' ? {} : { exception: outcome as unknown as Json });
  o.onProgress?.({ kind: 'saved', path: o.output });
  return { outcome, lateUpdates: outputs.lateUpdates };
}

function toOutcome(end: CellEnd, cell: number, code: CodeCell, byDeadline: boolean, o: LoopOptions): RunOutcome {
  switch (end.kind) {
    case 'ok':
      return { status: 'ok' };
    case 'error':
      if (cellTags(code).includes('raises-exception')) return { status: 'ok' };
      return { status: 'cell-error', cell, ename: end.ename, evalue: end.evalue, traceback: end.traceback };
    case 'timeout':
      return byDeadline ? { status: 'notebook-timeout', cell, seconds: (o.timeoutMs ?? 0) / 1000 } : { status: 'cell-timeout', cell, seconds: (o.cellTimeoutMs ?? 0) / 1000 };
    case 'dead':
      return { status: 'kernel-died', cell, reason: end.reason };
    case 'aborted':
      return { status: 'aborted', cell };
  }
}

function cellStatus(end: CellEnd, outcome: RunOutcome): CellStatus {
  switch (end.kind) {
    case 'ok':
      return 'completed';
    case 'error':
      return outcome.status === 'ok' ? 'completed' : 'failed';
    case 'timeout':
      return 'timeout';
    case 'dead':
      return 'dead';
    case 'aborted':
      return 'aborted';
  }
}

/** The one-paragraph explanation of a failed run, from the message catalogue. */
export function outcomeText(outcome: RunOutcome): string {
  switch (outcome.status) {
    case 'ok':
      return 'ok';
    case 'cell-error':
      return messages.cellFailed(outcome.cell, outcome.ename, outcome.evalue);
    case 'cell-timeout':
      return messages.cellTimedOut(outcome.cell, outcome.seconds);
    case 'notebook-timeout':
      return messages.notebookTimedOut(outcome.cell, outcome.seconds);
    case 'kernel-died':
      return messages.kernelDied(outcome.cell, outcome.reason);
    case 'aborted':
      return messages.runAborted(outcome.cell);
  }
}

const RUN_KEYS = ['status', 'start_time', 'end_time', 'duration'];

/** Sets this run's keys in cell.metadata.windowpane; 'pending' drops those of an earlier run. */
function setCellMeta(cell: CodeCell, meta: JsonObject): void {
  const old = isObject(cell.metadata.windowpane) ? cell.metadata.windowpane : {};
  const kept = meta.status === 'pending' ? Object.fromEntries(Object.entries(old).filter(([k]) => !RUN_KEYS.includes(k))) : old;
  cell.metadata.windowpane = { ...kept, ...meta };
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const seconds = (ms: number) => Math.round(ms) / 1000;
const minDefined = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
