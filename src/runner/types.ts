/** The runner's options, outcome and progress events. */
import type { HeadlessUntil } from './headless.js';
import type { Notebook } from './notebook.js';
import type { Parameters } from './parameters.js';

export interface RunOptions {
  /** The notebook to execute (.ipynb, nbformat 4). */
  readonly input: string;
  /** Where the executed notebook is written, after every cell. Default: <input>.out.ipynb. */
  readonly output?: string;
  readonly parameters?: Parameters;
  /** A running Jupyter Server; without it the runner starts one from the project's .venv. */
  readonly server?: { readonly url: string; readonly token: string };
  /** Kernel name; default: the notebook's kernelspec, else the server's default kernel. */
  readonly kernel?: string;
  /** Per-cell limit in milliseconds. */
  readonly cellTimeoutMs?: number;
  /** Whole-notebook limit in milliseconds (kernel start excluded). */
  readonly timeoutMs?: number;
  /** How long the kernel may take to start. Default 60 s. */
  readonly startupTimeoutMs?: number;
  /** How long live queries run; default: until caught up with the end offsets seen at start. */
  readonly until?: HeadlessUntil;
  /** Also export HTML (nbconvert) to this file. */
  readonly html?: string;
  /** The kernel's working folder. Default: the notebook's folder. */
  readonly cwd?: string;
  /** Extra environment for the kernel (only for a server the runner starts). */
  readonly env?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** How a run ended. `cell` is the 1-based position in the executed notebook. */
export type RunOutcome =
  | { readonly status: 'ok' }
  | { readonly status: 'cell-error'; readonly cell: number; readonly ename: string; readonly evalue: string; readonly traceback: readonly string[] }
  | { readonly status: 'cell-timeout'; readonly cell: number; readonly seconds: number }
  | { readonly status: 'notebook-timeout'; readonly cell: number; readonly seconds: number }
  | { readonly status: 'kernel-died'; readonly cell: number; readonly reason: string }
  | { readonly status: 'aborted'; readonly cell: number };

export interface RunResult {
  readonly outcome: RunOutcome;
  /** Path of the executed notebook. */
  readonly output: string;
  readonly notebook: Notebook;
  readonly durationMs: number;
  readonly html?: string;
  /** Output changes that arrived for cells that had already finished (display updates after idle). */
  readonly lateUpdates: number;
}

export type ProgressEvent =
  | { readonly kind: 'server'; readonly url: string; readonly started: boolean }
  | { readonly kind: 'kernel'; readonly name: string; readonly language: string }
  | { readonly kind: 'cell-start'; readonly cell: number; readonly total: number; readonly firstLine: string }
  | { readonly kind: 'cell-end'; readonly cell: number; readonly total: number; readonly ms: number; readonly status: CellStatus }
  | { readonly kind: 'saved'; readonly path: string }
  | { readonly kind: 'done'; readonly outcome: RunOutcome; readonly ms: number };

export type CellStatus = 'completed' | 'failed' | 'timeout' | 'dead' | 'aborted' | 'skipped';
